package io.argus.coordinator.store;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Objects;

/**
 * The H2 connection of the embedded store, kept usable through a full disk.
 *
 * <ul>
 *   <li><b>Durable acknowledgement.</b> A write runs in one transaction and returns only after
 *   {@code CHECKPOINT SYNC} (the store's chunk written and the file forced to the device): H2 on its
 *   own commits to memory and writes about once a second, so an acknowledged batch could be lost
 *   with the process.</li>
 *   <li><b>Refuse before failing.</b> Below {@link StoreSettings#writeReserveBytes()} free, a write
 *   is refused with {@link StoreUnavailableException} before it reaches H2.</li>
 *   <li><b>Keep reading.</b> When H2 closes itself anyway (ENOSPC in the middle of a write, as the
 *   probe saw at 2 MiB), the file is reopened read-only: the record stays queryable.</li>
 *   <li><b>Recover by itself.</b> A later write, at most once per {@link StoreSettings#reopenInterval()},
 *   reopens the file for writing once there is room again.</li>
 * </ul>
 *
 * <p>All access is serialised by this object's monitor (one connection, as before).
 */
final class RecoveringConnection implements StoreConnections {
    private static final Logger log = LoggerFactory.getLogger(RecoveringConnection.class);

    private final String url;
    private final DiskSpace disk;
    private final StoreSettings settings;
    private final Runnable schema;
    private @Nullable Connection db;
    private boolean writable;
    /** Why writes are off, or null. */
    private @Nullable String problem;
    private long reopenAtMs;
    private boolean recovering;
    private @Nullable Instant downSince;

    RecoveringConnection(String url, DiskSpace disk, StoreSettings settings, Runnable schema) throws SQLException {
        this.url = url;
        this.disk = disk;
        this.settings = settings;
        this.schema = schema;
        openForWriting(); // the first open must succeed: a store that cannot start is a configuration error
    }

    private void openForWriting() throws SQLException {
        Connection c = DriverManager.getConnection(url, "argus", "");
        try {
            schema.run(); // on connections of its own, while c keeps the database open
        } catch (RuntimeException e) {
            closeQuietly(c);
            throw new SQLException("schema: " + e.getMessage(), e);
        }
        db = c;
        writable = true;
        problem = null;
    }

    /** Runs {@code w} in one transaction and makes it durable before returning. */
    @Override
    public synchronized <T> T write(Work<T> w) {
        ensureWritable();
        try {
            Connection db = Objects.requireNonNull(this.db, "db"); // ensureWritable() opened it
            db.setAutoCommit(false);
            T result = w.run(db);
            db.commit();
            try (Statement s = db.createStatement()) {
                s.execute("CHECKPOINT SYNC");
            }
            downSince = null;
            if (recovering) {
                recovering = false;
                log.info("event store writable again: a write reached the disk");
            }
            return result;
        } catch (SQLException | IOException e) {
            // Not the event's fault (those are dead-lettered inside the work): the database or the disk
            // failed. H2 closes its store after a failed file write (ENOSPC), sometimes only on the next
            // call, so the connection is not trusted any more: reads go on read-only, writes wait for a reopen.
            rollbackQuietly();
            degrade(e);
            throw new StoreUnavailableException("store write failed: " + rootMessage(e)
                    + "; the store is read-only until it can be reopened for writing", e);
        } catch (RuntimeException e) {
            rollbackQuietly();
            if (!alive()) {
                degrade(e);
                throw new StoreUnavailableException("store write failed and the database closed: " + rootMessage(e), e);
            }
            throw e;
        } finally {
            if (db != null) {
                try {
                    db.setAutoCommit(true);
                } catch (SQLException ignored) {
                    // a closed connection: degrade() has replaced it or will
                }
            }
        }
    }

    /** Runs a read; a closed database is reopened (read-only if it cannot be written) and asked again. */
    @Override
    public synchronized <T> T read(Work<T> w) {
        for (int attempt = 0; ; attempt++) {
            if (db == null) {
                reopen();
            }
            try {
                return w.run(Objects.requireNonNull(db, "db")); // reopen() opened it or threw
            } catch (SQLException | IOException e) {
                if (attempt == 0 && !alive()) {
                    degrade(e);
                    continue;
                }
                throw new IllegalStateException("store read failed: " + e.getMessage(), e);
            }
        }
    }

    /** Null when writes are accepted, else why not (for {@code /healthz}). */
    @Override
    public synchronized @Nullable String problem() {
        if (writable) {
            long free = disk.usableBytes();
            if (free >= 0 && free < settings.writeReserveBytes()) {
                return reserveProblem(free);
            }
            return null;
        }
        return problem;
    }

    private String reserveProblem(long free) {
        return "writes refused: " + free / (1024 * 1024) + " MiB free under " + disk.dataDir() + ", below the write reserve of "
                + settings.writeReserveBytes() / (1024 * 1024) + " MiB (StoreSettings.writeReserveBytes)";
    }

    private void ensureWritable() {
        long free = disk.usableBytes();
        if (free >= 0 && free < settings.writeReserveBytes()) {
            throw new StoreUnavailableException(reserveProblem(free));
        }
        if (writable) {
            return;
        }
        long now = System.currentTimeMillis();
        if (now < reopenAtMs) {
            throw new StoreUnavailableException(problem);
        }
        reopenAtMs = now + settings.reopenInterval().toMillis();
        closeQuietly(db);
        db = null;
        try {
            openForWriting();
            // opening may succeed on a disk that is still full: only a durable write says it recovered
            recovering = true;
            log.debug("event store reopened for writing ({})", url);
        } catch (SQLException e) {
            problem = "read-only: reopening for writes failed: " + e.getMessage();
            reopen();
            throw new StoreUnavailableException(problem, e);
        }
    }

    /** After a failure that closed the database: reopen it read-only, so that reads go on. */
    private void degrade(Exception cause) {
        if (!recovering) { // one error per outage, not one per reopen attempt on a disk that is still full
            log.error("event store failed and closed ({}); reopening read-only, writes resume when it can be reopened "
                    + "(tried at most every {} ms)", cause.getMessage(), settings.reopenInterval().toMillis());
        } else {
            log.debug("event store still cannot write: {}", rootMessage(cause));
        }
        if (downSince == null) { // the outage's start, not the last failed attempt to end it
            downSince = Instant.now();
        }
        problem = "read-only since " + downSince + " after a failed write: " + rootMessage(cause);
        writable = false;
        reopenAtMs = System.currentTimeMillis() + settings.reopenInterval().toMillis();
        closeQuietly(db);
        db = null;
        reopen();
    }

    private void reopen() {
        try {
            db = DriverManager.getConnection(url + ";ACCESS_MODE_DATA=r", "argus", "");
        } catch (SQLException e) {
            db = null;
            problem = (problem == null ? "" : problem + "; ") + "cannot be opened for reading either: " + e.getMessage();
            throw new StoreUnavailableException("event store unavailable: " + problem, e);
        }
    }

    private boolean alive() {
        try {
            return db != null && db.isValid(1);
        } catch (SQLException e) {
            return false;
        }
    }

    private void rollbackQuietly() {
        try {
            if (db != null && !db.getAutoCommit()) {
                db.rollback();
            }
        } catch (SQLException ignored) {
            // the connection is gone; nothing was committed
        }
    }

    private static String rootMessage(Throwable t) {
        Throwable r = t;
        while (r.getCause() != null && r.getCause() != r) {
            r = r.getCause();
        }
        return r.getMessage() == null ? r.toString() : r.getMessage();
    }

    private static void closeQuietly(@Nullable Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing a connection whose database already closed itself
            }
        }
    }

    @Override
    public synchronized void close() {
        closeQuietly(db);
        db = null;
    }
}
