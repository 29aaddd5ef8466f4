package io.argus.coordinator.store;

import org.flywaydb.core.Flyway;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The event store's schema, brought up to date by Flyway each time a store opens for writing, from
 * the same migrations for H2 and PostgreSQL (package {@code io.argus.coordinator.store.migration}).
 * A store made by a coordinator from before the migrations has tables but no history: it is
 * baselined at version 0 and the first migration, idempotent, gives it what it lacks. On a shared
 * PostgreSQL store Flyway's lock makes coordinators that start together migrate once.
 */
final class EventMigrations {
    static final String LOCATION = "classpath:io/argus/coordinator/store/migration";

    private EventMigrations() {
    }

    /** Applies the pending migrations; returns how many ran. */
    static int migrate(DataSource ds) {
        return Flyway.configure(EventMigrations.class.getClassLoader())
                .dataSource(ds)
                .locations(LOCATION)
                .placeholders(placeholders())
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load()
                .migrate()
                .migrationsExecuted;
    }

    /** The column sizes the check before a write uses ({@link EventColumns}), so the two cannot drift. */
    private static Map<String, String> placeholders() {
        return Map.of("id_chars", Integer.toString(EventColumns.ID),
                "type_chars", Integer.toString(EventColumns.TYPE),
                "stream_chars", Integer.toString(EventColumns.STREAM),
                "line_chars", Integer.toString(EventColumns.LINE),
                "direction_chars", Integer.toString(EventColumns.DIRECTION),
                "attributes_chars", Integer.toString(EventColumns.ATTRIBUTES));
    }

    /** The identity the migrations gave the store when it was made. */
    static String readStoreId(Connection db) throws SQLException {
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("SELECT id FROM store_identity")) {
            if (!rs.next()) {
                throw new SQLException("the store has no identity: its migrations did not run");
            }
            return rs.getString(1);
        }
    }
}
