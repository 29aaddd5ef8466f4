package io.argus.coordinator.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.Optional;

/** Thumbnails as rows of the shared store's {@code thumbnails} table, written in the event's transaction. */
final class ThumbnailTable implements Thumbnails {
    private final SqlDialect dialect;
    private final StoreConnections db;

    ThumbnailTable(SqlDialect dialect, StoreConnections db) {
        this.dialect = dialect;
        this.db = db;
    }

    @Override
    public void write(Connection c, String eventId, byte[] jpeg) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(dialect.insertThumbnail())) {
            ps.setString(1, eventId);
            ps.setBytes(2, jpeg);
            ps.executeUpdate();
        }
    }

    @Override
    public Optional<byte[]> read(String eventId) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT jpeg FROM thumbnails WHERE id = ?")) {
                ps.setString(1, eventId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getBytes(1)) : Optional.<byte[]>empty();
                }
            }
        });
    }

    @Override
    public void deleteInTransaction(Connection c, Collection<String> eventIds) throws SQLException {
        Retention.deleteById(c, "DELETE FROM thumbnails WHERE id = ?", eventIds);
    }

    @Override
    public void deleteAfterCommit(Collection<String> eventIds) {
        // the rows went with the transaction
    }
}
