package io.argus.agent;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * What a start-up has opened so far, to be closed in reverse order if a later step fails. Why:
 * an agent whose start fails after its frame server is bound (a metrics port in use, a
 * registration refused) must give back the port, the event loops, the worker lanes and the
 * ZooKeeper session; only the caller of a successful start owns them (through
 * {@link NodeAgent#close}).
 */
final class OpenedResources {
    private static final Logger log = LoggerFactory.getLogger(OpenedResources.class);

    /** One clean-up step; may throw, the others still run. */
    interface Closer {
        void close() throws Exception;
    }

    private record Entry(String name, Closer closer) {
    }

    private final Deque<Entry> opened = new ArrayDeque<>();

    /** Records {@code closer} to run (before everything opened earlier) when the start fails. */
    void add(String name, Closer closer) {
        opened.push(new Entry(name, closer));
    }

    /** Closes everything, newest first; failures are attached to {@code cause} and logged. */
    void closeAll(Throwable cause) {
        while (!opened.isEmpty()) {
            Entry e = opened.pop();
            try {
                e.closer().close();
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                cause.addSuppressed(ie);
            } catch (Exception | LinkageError ex) {
                log.warn("closing {} after a failed start failed: {}", e.name(), ex.toString());
                cause.addSuppressed(ex);
            }
        }
    }
}
