package io.argus.cli.analyze;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.argus.client.StreamResult;

/** Something that follows an analyze run's results and adds to its summary. */
public interface AnalyzeExtension extends AutoCloseable {
    /** Called on the client's delivery thread, in frame order per stream. */
    void onResult(StreamResult r);

    /** Adds to the summary object; may print a human-readable report to stderr. */
    default void summarize(ObjectNode summary) {
    }

    @Override
    default void close() throws Exception {
    }
}
