package io.argus.coordinator.store;

/**
 * The monitor that every read of an embedded store takes ({@link RecoveringConnection}'s methods are
 * synchronized). A test that holds it stalls the coordinator's store reads for as long as it likes,
 * which is how the gateway's bounded blocking queue is filled without relying on timing.
 */
public final class StoreLock {
    private StoreLock() {
    }

    public static Object of(EventStore store) {
        if (!(store instanceof JdbcEventStore jdbc) || !(jdbc.connections() instanceof RecoveringConnection c)) {
            throw new IllegalArgumentException("not an embedded store: " + store);
        }
        return c;
    }
}
