package io.argus.coordinator.store;

import io.argus.protocol.v1.Event;
import org.jspecify.annotations.Nullable;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The durable record: events (crossings, readings, watch-list hits) and the latest exported state
 * of each stream. Writes are idempotent by event id, so an event delivered twice (a resend, or the
 * same event sent to two coordinators) is stored once. The embedded implementation is
 * {@link H2EventStore}; a server database can replace it behind this interface.
 */
public interface EventStore extends AutoCloseable {

    /**
     * Stores events not seen before; returns how many were new. An event that cannot be stored
     * must not fail the others (it is dead-lettered, see {@link #deadLettered()}); only a failure
     * of the store itself throws, and then the whole batch is sent again.
     */
    int record(List<Event> events);

    /**
     * As {@link #record}, returning the events that were new (stored now, not before), in batch
     * order. This default asks the store which ids it already holds before recording, and again
     * after it when the counts disagree (an event dead-lettered, or stored meanwhile by someone
     * else); a store that knows per event whether it inserted should override it.
     */
    default List<Event> recordNew(List<Event> events) {
        List<Event> unseen = new java.util.ArrayList<>();
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (Event e : events) {
            if (ids.add(e.getId()) && !holds(e)) {
                unseen.add(e);
            }
        }
        int added = record(events);
        if (added == unseen.size()) {
            return unseen;
        }
        return unseen.stream().filter(this::holds).limit(added).toList();
    }

    /** Whether the store holds an event with this one's id (looked up by its stream and time, which are indexed). */
    private boolean holds(Event e) {
        for (StoredEvent s : events(e.getStreamId(), e.getType(), e.getTimeUs(), e.getTimeUs() + 1, Integer.MAX_VALUE)) {
            if (s.id().equals(e.getId())) {
                return true;
            }
        }
        return false;
    }

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
     * Events matching the filters (null = any), oldest first, at most {@code limit}.
     */
    List<StoredEvent> events(@Nullable String stream, @Nullable String type, @Nullable Long fromUs, @Nullable Long toUs, int limit);

    /** Crossing counts per bucket: bucket start (us) -> "line.direction" -> count. */
    Map<Long, Map<String, Long>> counts(String stream, long fromUs, long toUs, long bucketUs);

    /** Cumulative crossing counts per "line.direction" over all time. */
    Map<String, Long> totals(String stream);

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
