package io.argus.coordinator.store;

import org.jspecify.annotations.Nullable;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.argus.coordinator.store.EventStore.StoredEvent;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The event store's reads, each on the connection {@link RecoveringConnection#read} gives it (reads
 * go on when writes are refused). Per-minute aggregates are computed from the events when asked, so
 * they can never disagree with them.
 */
final class EventQueries {
    private static final ObjectMapper JSON = new ObjectMapper();

    private EventQueries() {
    }

    static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static Optional<byte[]> state(Connection c, String stream) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT bundle FROM states WHERE stream = ?")) {
            ps.setString(1, stream);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getBytes(1)) : Optional.<byte[]>empty();
            }
        }
    }

    /** Events matching the filters (null = any), oldest first, at most {@code limit}. */
    static List<StoredEvent> events(Connection c, @Nullable String stream, @Nullable String type, @Nullable Long fromUs,
                                    @Nullable Long toUs, int limit)
            throws SQLException, IOException {
        StringBuilder sql = new StringBuilder("SELECT id, type, stream, frame, time_us, attributes, thumbnail FROM events WHERE 1=1");
        List<Object> args = new ArrayList<>();
        if (stream != null) {
            sql.append(" AND stream = ?");
            args.add(stream);
        }
        if (type != null) {
            sql.append(" AND type = ?");
            args.add(type);
        }
        if (fromUs != null) {
            sql.append(" AND time_us >= ?");
            args.add(fromUs);
        }
        if (toUs != null) {
            sql.append(" AND time_us < ?");
            args.add(toUs);
        }
        sql.append(" ORDER BY time_us, id LIMIT ?");
        args.add(limit);
        List<StoredEvent> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
                ps.setObject(i + 1, args.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<String, String> attrs = JSON.readValue(rs.getString(6),
                            new TypeReference<LinkedHashMap<String, String>>() {
                            });
                    out.add(new StoredEvent(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4),
                            rs.getLong(5), attrs, rs.getBoolean(7)));
                }
            }
        }
        return out;
    }

    /** Crossing counts per bucket: bucket start (us) -> "line.direction" -> count. */
    static Map<Long, Map<String, Long>> counts(Connection c, String stream, long fromUs, long toUs, long bucketUs)
            throws SQLException {
        Map<Long, Map<String, Long>> out = new TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT (time_us / ?) * ? AS bucket, line, direction, COUNT(*) "
                + "FROM events WHERE stream = ? AND type = 'crossing' AND time_us >= ? AND time_us < ? "
                + "GROUP BY bucket, line, direction ORDER BY bucket")) {
            ps.setLong(1, bucketUs);
            ps.setLong(2, bucketUs);
            ps.setString(3, stream);
            ps.setLong(4, fromUs);
            ps.setLong(5, toUs);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getLong(1), k -> new TreeMap<>())
                            .put(rs.getString(2) + "." + rs.getString(3), rs.getLong(4));
                }
            }
        }
        return out;
    }

    /** Cumulative crossing counts per "line.direction" over all time. */
    static Map<String, Long> totals(Connection c, String stream) throws SQLException {
        Map<String, Long> out = new TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT line, direction, COUNT(*) FROM events "
                + "WHERE stream = ? AND type = 'crossing' GROUP BY line, direction")) {
            ps.setString(1, stream);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1) + "." + rs.getString(2), rs.getLong(3));
                }
            }
        }
        return out;
    }
}
