package io.argus.coordinator.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Runs the store's retention in the background, every {@link RetentionSettings#interval()}, on a
 * thread of its own (never an event loop or a request's). {@code due} says whether this coordinator
 * should: always for its own embedded store, only while it leads for a shared one (the others'
 * passes would find nothing left to delete, at the cost of their queries).
 */
public final class RetentionSchedule implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RetentionSchedule.class);
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "argus-retention");
        t.setDaemon(true);
        return t;
    });

    public RetentionSchedule(EventStore store, Duration interval, Clock clock, BooleanSupplier due) {
        timer.scheduleWithFixedDelay(() -> {
            if (!due.getAsBoolean()) {
                return;
            }
            try {
                store.enforceRetention(clock.millis());
            } catch (RuntimeException e) { // a store that is away: the next pass tries again
                log.warn("retention pass failed: {}", e.getMessage());
            }
        }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
