package io.argus.coordinator.store.migration;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;

/**
 * Gives the store its identity, once: a random UUID, made here rather than in SQL because H2 and
 * PostgreSQL name their UUID functions differently. Flyway runs it once per store, under its lock, so
 * two coordinators that open a new shared store at the same time still agree on one identity. A store
 * made before migrations has its identity already and keeps it.
 */
public final class V1_1__StoreIdentity extends BaseJavaMigration {
    @Override
    public void migrate(Context context) throws SQLException {
        try (PreparedStatement ps = context.getConnection().prepareStatement(
                "INSERT INTO store_identity (id) SELECT ? WHERE NOT EXISTS (SELECT 1 FROM store_identity)")) {
            ps.setString(1, UUID.randomUUID().toString());
            ps.executeUpdate();
        }
    }
}
