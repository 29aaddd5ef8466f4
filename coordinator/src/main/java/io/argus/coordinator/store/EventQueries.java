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
 * The event store's reads, each on the connection {@link StoreConnections#read} gives it (reads
 * go on when writes are refused). Counts and totals come from the aggregates that
 * {@link EventWrites} keeps in the events' own transactions.
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

    /** Which checkpoint of the stream is stored: its run, epoch and last sequence. */
    static Optional<EventStore.StoredCheckpoint> storedCheckpoint(Connection c, String stream) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT run, epoch, seq FROM states WHERE stream = ?")) {
            ps.setString(1, stream);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new EventStore.StoredCheckpoint(rs.getLong(1), rs.getLong(2), rs.getLong(3)))
                        : Optional.<EventStore.StoredCheckpoint>empty();
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

    /**
     * Counts per bucket of one kind ({@link Aggregate#LINE} or {@link Aggregate#ZONE}): bucket start
     * (us) -> "name.direction" -> count, over [fromUs, toUs). Whole minutes are read from the
     * per-minute aggregates (O(minutes), however many events they hold); only the partial minutes at
     * the ends of the range, and buckets that are not whole minutes, are counted from the events.
     */
    static Map<Long, Map<String, Long>> counts(Connection c, String stream, String kind, long fromUs, long toUs,
                                               long bucketUs) throws SQLException {
        Map<Long, Map<String, Long>> out = new TreeMap<>();
        long minute = EventWrites.MINUTE_US;
        long firstWhole = Math.floorDiv(fromUs, minute) * minute + (Math.floorMod(fromUs, minute) == 0 ? 0 : minute);
        long endWhole = Math.floorDiv(toUs, minute) * minute;
        if (bucketUs % minute != 0 || firstWhole >= endWhole) {
            countEvents(c, stream, kind, fromUs, toUs, bucketUs, out);
            return out;
        }
        countEvents(c, stream, kind, fromUs, firstWhole, bucketUs, out);
        try (PreparedStatement ps = c.prepareStatement("SELECT minute_us, name, direction, n FROM minute_counts "
                + "WHERE stream = ? AND kind = ? AND minute_us >= ? AND minute_us < ?")) {
            ps.setString(1, stream);
            ps.setString(2, kind);
            ps.setLong(3, firstWhole);
            ps.setLong(4, endWhole);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    add(out, Math.floorDiv(rs.getLong(1), bucketUs) * bucketUs, rs.getString(2) + "." + rs.getString(3),
                            rs.getLong(4));
                }
            }
        }
        countEvents(c, stream, kind, endWhole, toUs, bucketUs, out);
        return out;
    }

    /** Adds the events of [fromUs, toUs) to the buckets, counted one by one. */
    private static void countEvents(Connection c, String stream, String kind, long fromUs, long toUs, long bucketUs,
                                    Map<Long, Map<String, Long>> out) throws SQLException {
        if (fromUs >= toUs) {
            return;
        }
        boolean line = Aggregate.LINE.equals(kind);
        String sql = line
                ? "SELECT time_us, line, direction FROM events WHERE stream = ? AND type = 'crossing' AND time_us >= ? AND time_us < ?"
                : "SELECT time_us, zone, type FROM events WHERE stream = ? AND type IN ('zone_enter', 'zone_exit') "
                        + "AND time_us >= ? AND time_us < ?";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, stream);
            ps.setLong(2, fromUs);
            ps.setLong(3, toUs);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String direction = line ? rs.getString(3) : rs.getString(3).substring("zone_".length());
                    add(out, Math.floorDiv(rs.getLong(1), bucketUs) * bucketUs,
                            nullToEmpty(rs.getString(2)) + "." + nullToEmpty(direction), 1);
                }
            }
        }
    }

    private static void add(Map<Long, Map<String, Long>> out, long bucket, String key, long n) {
        out.computeIfAbsent(bucket, k -> new TreeMap<>()).merge(key, n, Long::sum);
    }

    private static String nullToEmpty(@Nullable String s) {
        return s == null ? "" : s;
    }

    /** The streams that have totals, in name order, at most {@code limit}. */
    static List<String> streams(Connection c, int limit) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT stream FROM count_totals ORDER BY stream LIMIT ?")) {
            ps.setInt(1, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    /** All-time counts of one kind per "name.direction": O(names), from the running totals. */
    static Map<String, Long> totals(Connection c, String stream, String kind) throws SQLException {
        Map<String, Long> out = new TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT name, direction, n FROM count_totals "
                + "WHERE stream = ? AND kind = ?")) {
            ps.setString(1, stream);
            ps.setString(2, kind);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1) + "." + rs.getString(2), rs.getLong(3));
                }
            }
        }
        return out;
    }
}
