package io.argus.coordinator.store;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Enforces {@link RetentionSettings}: deletes events older than {@code maxEventAge} and the oldest
 * beyond {@code maxEvents}; removes thumbnails older than {@code maxThumbnailAge} and the oldest
 * beyond {@code maxThumbnailBytes} (their events stay, without a picture); deletes per-minute counts
 * older than {@code maxMinuteCountAge}. The all-time totals are never touched. Age is the
 * coordinator's clock when the event was stored ({@code recorded_ms}); per-minute counts age by
 * their minute.
 *
 * <p>Each pass deletes at most {@link RetentionSettings#batchRows()} rows per transaction and
 * repeats until nothing is left to delete, so that ingest interleaves with a large backlog. Files
 * (thumbnails of the embedded store) go after their rows' transaction commits. On a shared store,
 * every coordinator may run it: the deletes are idempotent.
 */
public final class Retention {
    private static final Logger log = LoggerFactory.getLogger(Retention.class);

    /** What one run deleted. */
    public record Report(long events, long thumbnails, long minuteCounts) {
        public static final Report NONE = new Report(0, 0, 0);
    }

    private final StoreConnections db;
    private final Thumbnails thumbs;
    private final RetentionSettings settings;
    private final Counter eventsDeleted;
    private final Counter thumbnailsDeleted;

    Retention(StoreConnections db, Thumbnails thumbs, RetentionSettings settings, MeterRegistry metrics) {
        this.db = db;
        this.thumbs = thumbs;
        this.settings = settings;
        this.eventsDeleted = Counter.builder("argus.store.retention.events").description("events deleted by retention")
                .register(metrics);
        this.thumbnailsDeleted = Counter.builder("argus.store.retention.thumbnails")
                .description("thumbnails deleted by retention").register(metrics);
    }

    /** One retention pass as of {@code nowMs}. */
    Report run(long nowMs) {
        long events = 0;
        long cutoff = nowMs - settings.maxEventAge().toMillis();
        events += deleteEvents("SELECT id, thumbnail FROM events WHERE recorded_ms < " + cutoff
                + " ORDER BY recorded_ms, time_us", Long.MAX_VALUE);
        long excess = db.read(c -> EventQueries.count(c, "SELECT COUNT(*) FROM events")) - settings.maxEvents();
        if (excess > 0) {
            events += deleteEvents("SELECT id, thumbnail FROM events ORDER BY recorded_ms, time_us", excess);
        }
        long thumbnails = dropThumbnails("SELECT id, thumb_bytes FROM events WHERE thumbnail = TRUE AND recorded_ms < "
                + (nowMs - settings.maxThumbnailAge().toMillis()) + " ORDER BY recorded_ms, time_us", Long.MAX_VALUE);
        long bytes = db.read(c -> EventQueries.count(c, "SELECT COALESCE(SUM(thumb_bytes), 0) FROM events WHERE thumbnail = TRUE"));
        if (bytes > settings.maxThumbnailBytes()) {
            thumbnails += dropThumbnails("SELECT id, thumb_bytes FROM events WHERE thumbnail = TRUE "
                    + "ORDER BY recorded_ms, time_us", bytes - settings.maxThumbnailBytes());
        }
        long minuteCutoffUs = (nowMs - settings.maxMinuteCountAge().toMillis()) * 1000;
        long minutes = 0;
        int n;
        do {
            n = db.write(c -> deleteMinutes(c, minuteCutoffUs));
            minutes += n;
        } while (n >= settings.batchRows());
        eventsDeleted.increment((double) events);
        thumbnailsDeleted.increment((double) thumbnails);
        Report r = new Report(events, thumbnails, minutes);
        if (!r.equals(Report.NONE)) {
            log.info("retention: deleted {} events, {} thumbnails, {} per-minute counts", events, thumbnails, minutes);
        }
        return r;
    }

    /** Deletes up to {@code max} events in the order {@code select} gives, a batch per transaction. */
    private long deleteEvents(String select, long max) {
        long deleted = 0;
        while (deleted < max) {
            int limit = (int) Math.min(settings.batchRows(), max - deleted);
            List<String> withThumbnail = new ArrayList<>();
            int n = db.write(c -> {
                List<String> ids = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement(select + " LIMIT " + limit); ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getString(1));
                        if (rs.getBoolean(2)) {
                            withThumbnail.add(rs.getString(1));
                        }
                    }
                }
                deleteById(c, "DELETE FROM events WHERE id = ?", ids);
                thumbs.deleteInTransaction(c, withThumbnail);
                return ids.size();
            });
            thumbs.deleteAfterCommit(withThumbnail);
            deleted += n;
            if (n < limit) {
                break;
            }
        }
        return deleted;
    }

    /** Removes the thumbnails of events in {@code select}'s order until {@code maxBytes} bytes (or all of them) are gone. */
    private long dropThumbnails(String select, long maxBytes) {
        long dropped = 0;
        long bytes = 0;
        while (bytes < maxBytes) {
            long want = maxBytes - bytes;
            List<String> ids = new ArrayList<>();
            long[] freed = {0};
            int n = db.write(c -> {
                try (PreparedStatement ps = c.prepareStatement(select + " LIMIT " + settings.batchRows());
                     ResultSet rs = ps.executeQuery()) {
                    while (rs.next() && freed[0] < want) {
                        ids.add(rs.getString(1));
                        freed[0] += Math.max(1, rs.getLong(2)); // a legacy row without its size still counts
                    }
                }
                deleteById(c, "UPDATE events SET thumbnail = FALSE, thumb_bytes = 0 WHERE id = ?", ids);
                thumbs.deleteInTransaction(c, ids);
                return ids.size();
            });
            thumbs.deleteAfterCommit(ids);
            dropped += n;
            bytes += freed[0];
            if (n < settings.batchRows()) {
                break;
            }
        }
        return dropped;
    }

    private int deleteMinutes(Connection c, long cutoffUs) throws SQLException {
        List<Object[]> keys = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT stream, kind, name, direction, minute_us FROM minute_counts "
                + "WHERE minute_us < ? LIMIT " + settings.batchRows())) {
            ps.setLong(1, cutoffUs);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    keys.add(new Object[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5)});
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM minute_counts WHERE stream = ? AND kind = ? AND name = ? "
                + "AND direction = ? AND minute_us = ?")) {
            for (Object[] k : keys) {
                for (int i = 0; i < k.length; i++) {
                    ps.setObject(i + 1, k[i]);
                }
                ps.addBatch();
            }
            ps.executeBatch();
        }
        return keys.size();
    }

    /** Runs {@code sql}, whose one parameter is an event id, for each of {@code ids}, as one batch. */
    static void deleteById(Connection c, String sql, Collection<String> ids) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (String id : ids) {
                ps.setString(1, id);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }
}
