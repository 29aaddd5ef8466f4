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
import java.util.List;

/**
 * The event store's writes, each inside the transaction {@link RecoveringConnection#write} gives it:
 * events (idempotent by id, with their thumbnails), dead letters, and checkpoints (a newer one only).
 */
final class EventWrites {
    private static final Logger log = LoggerFactory.getLogger(EventWrites.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ThumbnailFiles thumbs;
    private final Counter deadLetters;

    EventWrites(ThumbnailFiles thumbs, Counter deadLetters) {
        this.thumbs = thumbs;
        this.deadLetters = deadLetters;
    }

    /** Stores the events not seen before, dead-letters those that cannot be stored; returns how many were new. */
    int insert(Connection c, List<Event> events) throws SQLException, IOException {
        int added = 0;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO events (id, type, stream, frame, time_us, line, "
                + "direction, attributes, thumbnail, recorded_ms) SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ? "
                + "WHERE NOT EXISTS (SELECT 1 FROM events WHERE id = ?)")) {
            for (Event e : events) {
                String attributes = JSON.writeValueAsString(e.getAttributesMap());
                String refusal = EventColumns.refusal(e, attributes);
                if (refusal != null) {
                    deadLetter(c, e, refusal);
                    continue;
                }
                boolean thumb = !e.getThumbnailJpeg().isEmpty();
                ps.setString(1, e.getId());
                ps.setString(2, e.getType());
                ps.setString(3, e.getStreamId());
                ps.setLong(4, e.getSourceIndex());
                ps.setLong(5, e.getTimeUs());
                ps.setString(6, e.getAttributesMap().get("line"));
                ps.setString(7, e.getAttributesMap().get("direction"));
                ps.setString(8, attributes);
                ps.setBoolean(9, thumb);
                ps.setLong(10, System.currentTimeMillis());
                ps.setString(11, e.getId());
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
                if (n > 0 && thumb) {
                    thumbs.write(e.getId(), e.getThumbnailJpeg().toByteArray());
                }
                added += n;
            }
        }
        return added;
    }

    /** SQL state class 22, "data exception" (value too long, out of range...): the event, not the store, is at fault. */
    static boolean isBadData(SQLException ex) {
        return ex.getSQLState() != null && ex.getSQLState().startsWith("22");
    }

    /** Keeps an event that cannot be stored, once, counts it and says so. */
    private void deadLetter(Connection c, Event e, String reason) throws SQLException {
        byte[] whole = e.toByteArray();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO dead_letters (digest, event_id, stream, reason, "
                + "event, recorded_ms) SELECT ?, ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM dead_letters WHERE digest = ?)")) {
            String digest = HexFormat.of().formatHex(sha256(whole));
            ps.setString(1, digest);
            ps.setString(2, clip(e.getId(), EventColumns.ID));
            ps.setString(3, clip(e.getStreamId(), EventColumns.STREAM));
            ps.setString(4, clip(reason, 1024)); // a database's message may quote the whole value
            ps.setBytes(5, whole);
            ps.setLong(6, System.currentTimeMillis());
            ps.setString(7, digest);
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
    static int saveState(Connection c, String stream, byte[] bundle, long run, long epoch, long lastSequence, long timeUs,
                         String agent) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("MERGE INTO states (stream, bundle, time_us, agent, run, epoch, seq) "
                + "KEY(stream) SELECT ?, ?, ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM states WHERE stream = ? AND "
                + "(run > ? OR (run = ? AND epoch > ?) OR (run = ? AND epoch = ? AND seq > ?) "
                + "OR (run = ? AND epoch = ? AND seq = ? AND time_us > ?)))")) {
            int i = 1;
            ps.setString(i++, stream);
            ps.setBytes(i++, bundle);
            ps.setLong(i++, timeUs);
            ps.setString(i++, agent);
            ps.setLong(i++, run);
            ps.setLong(i++, epoch);
            ps.setLong(i++, lastSequence);
            ps.setString(i++, stream);
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
