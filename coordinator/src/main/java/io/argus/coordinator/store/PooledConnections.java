package io.argus.coordinator.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import javax.sql.DataSource;

/**
 * Connections to a shared PostgreSQL store, from a HikariCP pool of {@link StoreSettings#poolSize()}:
 * the HTTP reads, the ingest writes and retention run side by side instead of queuing on one
 * monitor. PostgreSQL's commit is durable (the WAL is flushed), so an acknowledged batch survives
 * the server's crash. When the server is unreachable, writes throw {@link StoreUnavailableException}
 * after at most {@link StoreSettings#connectTimeout()}, agents keep their events and send them
 * again, and {@link #problem()} says why until a write succeeds.
 */
final class PooledConnections implements StoreConnections {
    private static final Logger log = LoggerFactory.getLogger(PooledConnections.class);

    private final HikariDataSource pool;
    private volatile @Nullable String problem;
    private volatile @Nullable Instant downSince;

    PooledConnections(String url, String user, String password, StoreSettings settings) {
        HikariConfig cfg = new HikariConfig();
        cfg.setJdbcUrl(url);
        cfg.setUsername(user);
        cfg.setPassword(password);
        cfg.setMaximumPoolSize(settings.poolSize());
        cfg.setMinimumIdle(1);
        cfg.setConnectionTimeout(settings.connectTimeout().toMillis());
        cfg.setPoolName("argus-store");
        cfg.addDataSourceProperty("ApplicationName", "argus-coordinator");
        // a statement the server cannot finish in time (a lock held by a dead session) fails rather than hang ingest
        cfg.addDataSourceProperty("options", "-c statement_timeout=" + settings.statementTimeout().toMillis());
        cfg.addDataSourceProperty("connectTimeout", Long.toString(Math.max(1, settings.connectTimeout().toSeconds())));
        this.pool = new HikariDataSource(cfg); // fails here if the server cannot be reached: a configuration error
    }

    DataSource dataSource() {
        return pool;
    }

    @Override
    public <T> T write(Work<T> w) {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = w.run(c);
                c.commit();
                recovered();
                return result;
            } catch (SQLException | IOException | RuntimeException e) {
                try {
                    c.rollback();
                } catch (SQLException ignored) {
                    // the connection broke; the pool discards it
                }
                throw e;
            }
        } catch (SQLException | IOException e) {
            throw failed("store write failed", e);
        }
    }

    @Override
    public <T> T read(Work<T> w) {
        try (Connection c = pool.getConnection()) {
            return w.run(c);
        } catch (SQLException | IOException e) {
            throw failed("store read failed", e);
        }
    }

    private StoreUnavailableException failed(String what, Exception e) {
        if (downSince == null) {
            downSince = Instant.now();
            log.error("{}: {}; writes are refused (agents keep their events) until the server answers", what, e.getMessage());
        }
        problem = what + " since " + downSince + ": " + e.getMessage();
        return new StoreUnavailableException(what + ": " + e.getMessage(), e);
    }

    private void recovered() {
        if (downSince != null) {
            log.info("event store reachable again (down since {})", downSince);
            downSince = null;
            problem = null;
        }
    }

    @Override
    public @Nullable String problem() {
        return problem;
    }

    @Override
    public void close() {
        pool.close();
    }
}
