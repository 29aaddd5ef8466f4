package io.argus.coordinator.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * The few statements H2 and PostgreSQL write differently: the idempotent insert of an event and the
 * upserts. Everything else (the schema, the queries) is SQL both take. PostgreSQL's forms are the
 * ones that stay correct with several coordinators writing at once ({@code ON CONFLICT}: a
 * concurrent insert of the same key waits and then does nothing or adds, instead of failing the
 * transaction); the embedded H2 store has one writer, and its forms are H2's own.
 */
enum SqlDialect {
    H2 {
        @Override
        String insertEvent() {
            return "INSERT INTO events (" + EVENT_COLUMNS + ") SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? "
                    + "WHERE NOT EXISTS (SELECT 1 FROM events WHERE id = ?)";
        }

        @Override
        void addCount(Connection c, String table, List<String> keyColumns, List<Object> key, long n) throws SQLException {
            // one writer (the embedded store's one connection): an update, else an insert, cannot race
            String where = String.join(" = ? AND ", keyColumns) + " = ?";
            try (PreparedStatement up = c.prepareStatement("UPDATE " + table + " SET n = n + ? WHERE " + where)) {
                up.setLong(1, n);
                bind(up, 2, key);
                if (up.executeUpdate() > 0) {
                    return;
                }
            }
            try (PreparedStatement in = c.prepareStatement("INSERT INTO " + table + " (" + String.join(", ", keyColumns)
                    + ", n) VALUES (" + "?, ".repeat(keyColumns.size()) + "?)")) {
                bind(in, 1, key);
                in.setLong(key.size() + 1, n);
                in.executeUpdate();
            }
        }

        @Override
        String saveState() {
            return "MERGE INTO states (stream, bundle, time_us, agent, run, epoch, seq) KEY(stream) "
                    + "SELECT ?, ?, ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM states WHERE stream = ? AND " + NEWER + ")";
        }

        @Override
        String insertThumbnail() {
            return "MERGE INTO thumbnails (id, jpeg) KEY(id) VALUES (?, ?)";
        }

        @Override
        boolean repeatsKey() {
            return true;
        }

        @Override
        String insertDeadLetter() {
            return "INSERT INTO dead_letters (digest, event_id, stream, reason, event, recorded_ms) "
                    + "SELECT ?, ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM dead_letters WHERE digest = ?)";
        }
    },
    POSTGRESQL {
        @Override
        String insertEvent() {
            return "INSERT INTO events (" + EVENT_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                    + "ON CONFLICT (id) DO NOTHING";
        }

        @Override
        void addCount(Connection c, String table, List<String> keyColumns, List<Object> key, long n) throws SQLException {
            // coordinators sharing the store add at once: ON CONFLICT waits for the other's row and adds to it
            String keys = String.join(", ", keyColumns);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " (" + keys + ", n) VALUES ("
                    + "?, ".repeat(keyColumns.size()) + "?) ON CONFLICT (" + keys + ") DO UPDATE SET n = " + table
                    + ".n + EXCLUDED.n")) {
                bind(ps, 1, key);
                ps.setLong(key.size() + 1, n);
                ps.executeUpdate();
            }
        }

        @Override
        String saveState() {
            return "INSERT INTO states AS s (stream, bundle, time_us, agent, run, epoch, seq) VALUES (?, ?, ?, ?, ?, ?, ?) "
                    + "ON CONFLICT (stream) DO UPDATE SET bundle = EXCLUDED.bundle, time_us = EXCLUDED.time_us, "
                    + "agent = EXCLUDED.agent, run = EXCLUDED.run, epoch = EXCLUDED.epoch, seq = EXCLUDED.seq "
                    + "WHERE NOT " + NEWER.replace("run", "s.run").replace("epoch", "s.epoch")
                    .replace("seq", "s.seq").replace("time_us", "s.time_us");
        }

        @Override
        String insertThumbnail() {
            return "INSERT INTO thumbnails (id, jpeg) VALUES (?, ?) ON CONFLICT (id) DO NOTHING";
        }

        @Override
        String insertDeadLetter() {
            return "INSERT INTO dead_letters (digest, event_id, stream, reason, event, recorded_ms) "
                    + "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (digest) DO NOTHING";
        }
    };

    static final String EVENT_COLUMNS = "id, type, stream, frame, time_us, line, direction, zone, attributes, thumbnail, "
            + "thumb_bytes, recorded_ms";

    /**
     * The stored checkpoint is newer than the one offered (parameters: run, run, epoch, run, epoch,
     * seq, run, epoch, seq, time): a newer run, then epoch, then sequence, then export time.
     */
    static final String NEWER = "(run > ? OR (run = ? AND epoch > ?) OR (run = ? AND epoch = ? AND seq > ?) "
            + "OR (run = ? AND epoch = ? AND seq = ? AND time_us > ?))";

    /**
     * Whether the insert statements take their key a second time, after the columns (H2's
     * {@code WHERE NOT EXISTS}: the event's id, the checkpoint's stream, the dead letter's digest).
     */
    boolean repeatsKey() {
        return false;
    }

    /** Inserts an event unless its id is stored: the 12 columns (then the id, if {@link #repeatsKey}). */
    abstract String insertEvent();

    /** Adds {@code n} to the count of {@code table}'s row with this key, creating it at n. */
    abstract void addCount(Connection c, String table, List<String> keyColumns, List<Object> key, long n)
            throws SQLException;

    private static void bind(PreparedStatement ps, int first, List<Object> values) throws SQLException {
        for (int i = 0; i < values.size(); i++) {
            ps.setObject(first + i, values.get(i));
        }
    }

    /**
     * Writes a checkpoint unless the stored one is newer: the 7 columns, (the stream, if
     * {@link #repeatsKey}), then {@link #NEWER}'s.
     */
    abstract String saveState();

    /** Stores a thumbnail by event id (id, jpeg); a second write of the same id changes nothing. */
    abstract String insertThumbnail();

    /** Dead-letters an event once per digest: the 6 columns (then the digest, if {@link #repeatsKey}). */
    abstract String insertDeadLetter();

    static SqlDialect of(String jdbcUrl) {
        if (jdbcUrl.startsWith("jdbc:h2:")) {
            return H2;
        }
        if (jdbcUrl.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        throw new IllegalArgumentException("unsupported store URL '" + jdbcUrl + "': jdbc:postgresql://HOST[:PORT]/DATABASE "
                + "(a shared store) or none (the embedded H2 store in the data directory)");
    }
}
