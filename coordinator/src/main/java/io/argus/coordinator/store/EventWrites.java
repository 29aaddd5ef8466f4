package io.argus.coordinator.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.argus.protocol.v1.Event;
import io.micrometer.core.instrument.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HexFormat;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The event store's writes, each inside the transaction {@link StoreConnections#write} gives it:
 * events (idempotent by id, with their thumbnails and aggregates), dead letters, and checkpoints (a
 * newer one only).
 */
final class EventWrites {
    private static final Logger log = LoggerFactory.getLogger(EventWrites.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final long MINUTE_US = 60_000_000L;
    private static final List<String> MINUTE_KEY = List.of("stream", "kind", "name", "direction", "minute_us");
    private static final List<String> TOTAL_KEY = List.of("stream", "kind", "name", "direction");
    private final SqlDialect dialect;
    private final Thumbnails thumbs;
    private final Counter deadLetters;
    private final Clock clock;

    EventWrites(SqlDialect dialect, Thumbnails thumbs, Counter deadLetters, Clock clock) {
        this.clock = clock;
        this.dialect = dialect;
        this.thumbs = thumbs;
        this.deadLetters = deadLetters;
    }

    /**
     * Stores the events not seen before, with their thumbnails and their share of the aggregates,
     * and dead-letters those that cannot be stored; returns the events that were new, in batch
     * order. The aggregates are added to in the same transaction, for new events only, so they
     * always agree with the events however often a batch is sent.
     */
    List<Event> insert(Connection c, List<Event> events) throws SQLException, IOException {
        List<Event> added = new ArrayList<>();
        // sorted: coordinators that add to the same rows at once take their locks in one order
        Map<List<Object>, Long> minutes = new TreeMap<>(EventWrites::compareKeys);
        Map<List<Object>, Long> totals = new TreeMap<>(EventWrites::compareKeys);
        long now = clock.millis();
        try (PreparedStatement ps = c.prepareStatement(dialect.insertEvent())) {
            for (Event e : events) {
                String attributes = JSON.writeValueAsString(e.getAttributesMap());
                String refusal = EventColumns.refusal(e, attributes);
                if (refusal != null) {
                    deadLetter(c, e, refusal);
                    continue;
                }
                boolean thumb = !e.getThumbnailJpeg().isEmpty();
                int i = 1;
                ps.setString(i++, e.getId());
                ps.setString(i++, e.getType());
                ps.setString(i++, e.getStreamId());
                ps.setLong(i++, e.getSourceIndex());
                ps.setLong(i++, e.getTimeUs());
                ps.setString(i++, e.getAttributesMap().get("line"));
                ps.setString(i++, e.getAttributesMap().get("direction"));
                ps.setString(i++, Aggregate.zoneOf(e));
                ps.setString(i++, attributes);
                ps.setBoolean(i++, thumb);
                ps.setLong(i++, thumb ? e.getThumbnailJpeg().size() : 0);
                ps.setLong(i++, now);
                if (dialect.repeatsKey()) {
                    ps.setString(i, e.getId());
                }
                int n;
                try {
                    n = ps.executeUpdate();
                } catch (SQLException ex) {
                    if (!isBadData(ex)) {
                        throw ex; // the store's own failure: the batch fails and is sent again
                    }
                    deadLetter(c, e, "refused by the database: " + ex.getMessage());
                    continue;
                }
                if (n == 0) {
                    continue; // stored before: a resend, or another coordinator of the same store had it
                }
                if (thumb) {
                    thumbs.write(c, e.getId(), e.getThumbnailJpeg().toByteArray());
                }
                Aggregate a = Aggregate.of(e);
                if (a != null) {
                    long minute = Math.floorDiv(e.getTimeUs(), MINUTE_US) * MINUTE_US;
                    minutes.merge(List.of(e.getStreamId(), a.kind(), a.name(), a.direction(), minute), 1L, Long::sum);
                    totals.merge(List.of(e.getStreamId(), a.kind(), a.name(), a.direction()), 1L, Long::sum);
                }
                added.add(e);
            }
        }
        for (Map.Entry<List<Object>, Long> m : minutes.entrySet()) {
            dialect.addCount(c, "minute_counts", MINUTE_KEY, m.getKey(), m.getValue());
        }
        for (Map.Entry<List<Object>, Long> t : totals.entrySet()) {
            dialect.addCount(c, "count_totals", TOTAL_KEY, t.getKey(), t.getValue());
        }
        return added;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compareKeys(List<Object> a, List<Object> b) {
        for (int i = 0; i < a.size(); i++) {
            int c = ((Comparable) a.get(i)).compareTo(b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    /** SQL state class 22, "data exception" (value too long, out of range...): the event, not the store, is at fault. */
    static boolean isBadData(SQLException ex) {
        return ex.getSQLState() != null && ex.getSQLState().startsWith("22");
    }

    /** Keeps an event that cannot be stored, once, counts it and says so. */
    private void deadLetter(Connection c, Event e, String reason) throws SQLException {
        byte[] whole = e.toByteArray();
        try (PreparedStatement ps = c.prepareStatement(dialect.insertDeadLetter())) {
            String digest = HexFormat.of().formatHex(sha256(whole));
            ps.setString(1, digest);
            ps.setString(2, clip(e.getId(), EventColumns.ID));
            ps.setString(3, clip(e.getStreamId(), EventColumns.STREAM));
            ps.setString(4, clip(reason, 1024)); // a database's message may quote the whole value
            ps.setBytes(5, whole);
            ps.setLong(6, clock.millis());
            if (dialect.repeatsKey()) {
                ps.setString(7, digest);
            }
            if (ps.executeUpdate() > 0) { // a resent batch does not count it twice
                deadLetters.increment();
                log.warn("event '{}' of stream '{}' cannot be stored and was dead-lettered ({} bytes): {}",
                        clip(e.getId(), 120), clip(e.getStreamId(), 120), whole.length, clip(reason, 300));
            }
        }
    }

    private static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }

    private static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** Replaces a stream's checkpoint unless the stored one is newer (see {@link EventStore#saveState}). */
    int saveState(Connection c, String stream, byte[] bundle, long run, long epoch, long lastSequence, long timeUs,
                  String agent) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(dialect.saveState())) {
            int i = 1;
            ps.setString(i++, stream);
            ps.setBytes(i++, bundle);
            ps.setLong(i++, timeUs);
            ps.setString(i++, agent);
            ps.setLong(i++, run);
            ps.setLong(i++, epoch);
            ps.setLong(i++, lastSequence);
            if (dialect.repeatsKey()) {
                ps.setString(i++, stream);
            }
            ps.setLong(i++, run);
            ps.setLong(i++, run);
            ps.setLong(i++, epoch);
            ps.setLong(i++, run);
            ps.setLong(i++, epoch);
            ps.setLong(i++, lastSequence);
            ps.setLong(i++, run);
            ps.setLong(i++, epoch);
            ps.setLong(i++, lastSequence);
            ps.setLong(i, timeUs);
            return ps.executeUpdate();
        }
    }
}
