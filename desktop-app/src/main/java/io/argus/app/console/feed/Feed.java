package io.argus.app.console.feed;

import io.argus.protocol.v1.Event;
import org.jspecify.annotations.Nullable;

import java.util.List;

/** A stream as the console receives it: frames with overlays, figures, events. Thread-safe. */
public interface Feed extends AutoCloseable {
    SourceSpec spec();

    /** The newest frame with the newest overlays (lowest latency), or null before the first. */
    @Nullable FramePicture latestLive();

    /** The newest frame together with its own result (exact alignment), or null. */
    @Nullable FramePicture latestAligned();

    /** Current figures (computes rates and the OFFLINE state). */
    FeedSnapshot refresh();

    /** Events since the last call. */
    List<Event> drainNewEvents();

    @Override
    void close();
}
