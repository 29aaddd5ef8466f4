package io.argus.coordinator.store;

import io.argus.protocol.v1.Event;
import org.jspecify.annotations.Nullable;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The durable record: events (crossings, readings, watch-list hits) and the latest exported state
 * of each stream. Writes are idempotent by event id, so an event delivered twice (a resend, or the
 * same event sent to two coordinators) is stored once. {@link JdbcEventStore} keeps it in an
 * embedded H2 file or on a shared PostgreSQL server.
 */
public interface EventStore extends AutoCloseable {

    /**
     * Stores events not seen before; returns how many were new. An event that cannot be stored
     * must not fail the others (it is dead-lettered, see {@link #deadLettered()}); only a failure
     * of the store itself throws, and then the whole batch is sent again.
     */
    int record(List<Event> events);

    /**
     * As {@link #record}, returning the events that were new (stored now, not before, by this or
     * any other coordinator of the same store), in batch order: what is published as news.
     */
    List<Event> recordNew(List<Event> events);

    /** Replaces a stream's latest exported state if this one is newer (by export time: unsequenced, legacy). */
    default void saveState(String stream, byte[] bundle, long timeUs, String agent) {
        saveState(stream, bundle, 0, 0, -1, timeUs, agent);
    }

    /** As {@link #saveState(String, byte[], long, long, long, long, String)} with no ownership epoch. */
    default void saveState(String stream, byte[] bundle, long run, long lastSequence, long timeUs, String agent) {
        saveState(stream, bundle, run, 0, lastSequence, timeUs, agent);
    }

    /**
     * Replaces a stream's checkpoint if this one is newer: a newer run wins, then, within a run,
     * the newer ownership epoch, then the higher last sequence, then the later export. So a
     * checkpoint that arrives late, or from an agent that was frozen while the stream moved on
     * elsewhere, never replaces a newer one.
     */
    void saveState(String stream, byte[] bundle, long run, long epoch, long lastSequence, long timeUs, String agent);

    Optional<byte[]> state(String stream);

    /**
     * Which checkpoint of a stream is stored (the one {@link #state} returns), or empty when none
     * is: what an agent may tell its clients is held, rather than what it sent.
     */
    Optional<StoredCheckpoint> storedCheckpoint(String stream);

    /**
     * Where a stored checkpoint is.
     *
     * @param lastSequence the last sequence whose effects it holds, or -1 when it names none
     */
    record StoredCheckpoint(long run, long epoch, long lastSequence) {
    }

    /**
     * Events matching the filters (null = any), oldest first, at most {@code limit}.
     */
    List<StoredEvent> events(@Nullable String stream, @Nullable String type, @Nullable Long fromUs, @Nullable Long toUs, int limit);

    /** Crossing counts per bucket: bucket start (us) -> "line.direction" -> count. */
    default Map<Long, Map<String, Long>> counts(String stream, long fromUs, long toUs, long bucketUs) {
        return counts(stream, CountKind.LINE, fromUs, toUs, bucketUs);
    }

    /**
     * Counts of one kind per bucket over [fromUs, toUs): bucket start (us) -> "name.direction" ->
     * count ({@code door.in}, or for zones {@code queue.enter}).
     */
    Map<Long, Map<String, Long>> counts(String stream, CountKind kind, long fromUs, long toUs, long bucketUs);

    /** Cumulative crossing counts per "line.direction" over all time. */
    default Map<String, Long> totals(String stream) {
        return totals(stream, CountKind.LINE);
    }

    /** Cumulative counts of one kind per "name.direction" over all time (retention does not lower them). */
    Map<String, Long> totals(String stream, CountKind kind);

    /** Streams that have counts (at most {@link #MAX_COUNTED_STREAMS}), for publishing their whole state. */
    List<String> countedStreams();

    /** Most streams {@link #countedStreams} lists: 100,000, far beyond a cluster's streams. */
    int MAX_COUNTED_STREAMS = 100_000;

    /**
     * Deletes what the retention settings no longer keep, as of {@code nowMs}; the coordinator runs
     * it in the background. A store without retention does nothing.
     */
    default Retention.Report enforceRetention(long nowMs) {
        return Retention.Report.NONE;
    }

    /** What counts are kept of: crossings of lines, and entries and exits of zones. */
    enum CountKind {
        LINE, ZONE;

        String column() {
            return this == LINE ? Aggregate.LINE : Aggregate.ZONE;
        }
    }

    Optional<byte[]> thumbnail(String eventId);

    long eventCount();

    /**
     * Events that could not be stored (a value too long for the store) and were set aside instead
     * of failing their batch; 0 for a store that has no such place.
     */
    default long deadLettered() {
        return 0;
    }

    /**
     * Newest event time recorded (us), or 0. {@code /healthz} reports it ({@code newest_event_us}), so
     * that an operator sees how far a store that was away lags; what it missed arrives from the
     * agents, which keep a departed coordinator's events until a coordinator of the same
     * {@link #storeId() store} has them.
     */
    long newestEventTimeUs();

    /**
     * This store's identity, the same for every coordinator that shares it: agents keep events
     * unacknowledged by a departed coordinator until a coordinator of the same store has them.
     */
    String storeId();

    /** Why the store does not accept writes now, or null when it does (for {@code /healthz}). */
    default @Nullable String problem() {
        return null;
    }

    record StoredEvent(String id, String type, String stream, long frame, long timeUs, Map<String, String> attributes,
                       boolean hasThumbnail) {
    }

    @Override
    void close();
}
