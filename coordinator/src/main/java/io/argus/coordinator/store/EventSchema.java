package io.argus.coordinator.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The event store's tables, created or brought up to date each time the store opens for writing:
 * every statement is idempotent ({@code IF NOT EXISTS}), so a store made by an older coordinator
 * gains the columns and tables it lacks and keeps its data.
 */
final class EventSchema {
    private EventSchema() {
    }

    /** Creates or migrates the tables (a {@link RecoveringConnection} schema step). */
    static Void create(Connection db) throws SQLException {
        try (Statement s = db.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS events (id VARCHAR(" + EventColumns.ID + ") PRIMARY KEY, type VARCHAR("
                    + EventColumns.TYPE + ") NOT NULL, stream VARCHAR(" + EventColumns.STREAM + ") NOT NULL, frame BIGINT, "
                    + "time_us BIGINT NOT NULL, line VARCHAR(" + EventColumns.LINE + "), direction VARCHAR("
                    + EventColumns.DIRECTION + "), attributes VARCHAR(" + EventColumns.ATTRIBUTES + "), "
                    + "thumbnail BOOLEAN, recorded_ms BIGINT)");
            s.execute("CREATE INDEX IF NOT EXISTS events_stream_time ON events(stream, time_us)");
            s.execute("CREATE INDEX IF NOT EXISTS events_type_time ON events(type, time_us)");
            s.execute("CREATE TABLE IF NOT EXISTS states (stream VARCHAR(128) PRIMARY KEY, bundle VARBINARY, "
                    + "time_us BIGINT, agent VARCHAR(128))");
            // checkpoints are ordered by run, then sequence (stores made before had neither)
            s.execute("ALTER TABLE states ADD COLUMN IF NOT EXISTS run BIGINT DEFAULT 0 NOT NULL");
            s.execute("ALTER TABLE states ADD COLUMN IF NOT EXISTS seq BIGINT DEFAULT -1 NOT NULL");
            // then by ownership epoch within a run (issue 14: a woken agent's checkpoint is fenced)
            s.execute("ALTER TABLE states ADD COLUMN IF NOT EXISTS epoch BIGINT DEFAULT 0 NOT NULL");
            // events that could not be stored, whole (the protobuf), once each (by its digest); stores made
            // before had none, and CREATE ... IF NOT EXISTS adds it to them
            s.execute("CREATE TABLE IF NOT EXISTS dead_letters (digest VARCHAR(64) PRIMARY KEY, "
                    + "event_id VARCHAR(" + EventColumns.ID + "), stream VARCHAR(" + EventColumns.STREAM + "), "
                    + "reason VARCHAR(1024) NOT NULL, event BLOB NOT NULL, recorded_ms BIGINT NOT NULL)");
            // the store's identity, made once: coordinators that share a store advertise the same one, and an
            // agent keeps a departed coordinator's events until a coordinator of that store has them
            s.execute("CREATE TABLE IF NOT EXISTS store_identity (id VARCHAR(64) PRIMARY KEY)");
            s.execute("INSERT INTO store_identity SELECT '" + java.util.UUID.randomUUID()
                    + "' WHERE NOT EXISTS (SELECT 1 FROM store_identity)");
        }
        return null;
    }

    /** The identity {@link #create} gave the store when it was made. */
    static String readStoreId(Connection db) throws SQLException {
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("SELECT id FROM store_identity")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
