package io.argus.protocol.util;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * A JVM shutdown hook that closes a process's main object but never waits for it longer than a
 * stated limit. Why: closing deregisters from ZooKeeper, and with ZooKeeper unreachable Curator
 * retries for minutes; an operator's SIGTERM (or a supervisor's restart) must not hang on that.
 * After the limit the hook returns and the JVM exits; whatever was left is what a SIGKILL would
 * have left, which every part of Argus already survives (ephemeral nodes expire with the session).
 */
public final class BoundedShutdown {
    private static final Logger log = LoggerFactory.getLogger(BoundedShutdown.class);

    private BoundedShutdown() {
    }

    /** Installs the hook; {@code closed} counts down when the close has finished or been abandoned. */
    public static void install(String name, AutoCloseable target, Duration limit, CountDownLatch closed) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            Thread worker = new Thread(() -> {
                try {
                    target.close();
                } catch (Exception e) {
                    log.warn("{}: close failed: {}", name, e.toString());
                }
            }, name + "-close");
            worker.setDaemon(true);
            worker.start();
            try {
                worker.join(limit.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (worker.isAlive()) {
                log.warn("{}: close did not finish within {} ms; exiting anyway", name, limit.toMillis());
            }
            closed.countDown();
        }, name + "-shutdown"));
    }
}
