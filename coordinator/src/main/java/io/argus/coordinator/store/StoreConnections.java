package io.argus.coordinator.store;

import org.jspecify.annotations.Nullable;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * How the event store reaches its database: one recovering connection to the embedded H2 file
 * ({@link RecoveringConnection}) or a pool of connections to a shared PostgreSQL server
 * ({@link PooledConnections}). The SQL above it is the same.
 */
interface StoreConnections extends AutoCloseable {

    /** SQL work on a connection. */
    interface Work<T> {
        T run(Connection c) throws SQLException, IOException;
    }

    /**
     * Runs {@code w} in one transaction, committed (and durable) before this returns. A failure of
     * the database throws {@link StoreUnavailableException}: the caller's batch is sent again.
     */
    <T> T write(Work<T> w);

    /** Runs a read. */
    <T> T read(Work<T> w);

    /** Why the store does not accept writes now, or null when it does. */
    @Nullable String problem();

    @Override
    void close();
}
