package io.argus.agent.record;

import io.argus.protocol.v1.Event;
import io.argus.protocol.v1.StreamTotals;
import io.micrometer.core.instrument.Counter;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What the agent owes to event stores that have no live coordinator: a coordinator that leaves
 * ZooKeeper (restart, outage, partition) takes its store out of reach, but the store will be back,
 * and what happened meanwhile must reach it. So the events it did not acknowledge, and every event
 * published while it is away, are kept per store ({@code CoordinatorEndpoint.storeKey()}) and handed
 * to the first coordinator of that store that appears; a coordinator that shares the store and is
 * still live takes them at once.
 *
 * <p>Bounds ({@link EventLinkConfig}): at most {@code maxQueued} events per store (the oldest are
 * dropped and counted, as for a live outbox), at most {@code maxParkedStores} stores, and a store
 * away longer than {@code parkedRetentionMs} is given up (logged, its events counted as dropped): a coordinator
 * that was decommissioned must not hold the agent's memory forever. Not thread-safe: used on the
 * publisher's thread only.
 */
final class ParkedStores {
    private static final Logger log = LoggerFactory.getLogger(ParkedStores.class);

    static final class Parked {
        final Deque<Event> events = new ArrayDeque<>();
        final Map<String, StreamTotals> checkpoints = new HashMap<>();
        final long sinceMs;

        Parked(long sinceMs) {
            this.sinceMs = sinceMs;
        }
    }

    private final Map<String, Parked> stores = new LinkedHashMap<>();
    private final Counter dropped;
    private final int maxQueued;
    /** Stores without a live coordinator that are remembered at once. */
    private final int maxStores;
    /** How long a store may be away before its events are given up. */
    private final long retentionMs;

    ParkedStores(Counter dropped, EventLinkConfig config) {
        this.dropped = dropped;
        this.maxQueued = config.maxQueued();
        this.maxStores = config.maxParkedStores();
        this.retentionMs = config.parkedRetentionMs();
    }

    /** Keeps what a departed coordinator had not acknowledged, for its store. */
    void park(String storeKey, Deque<Event> events, Map<String, StreamTotals> checkpoints, long nowMs) {
        Parked p = stores.get(storeKey);
        if (p == null) {
            if (stores.size() >= maxStores) {
                Iterator<Map.Entry<String, Parked>> oldest = stores.entrySet().iterator();
                Map.Entry<String, Parked> gone = oldest.next();
                oldest.remove();
                giveUp(gone.getKey(), gone.getValue(), "more than " + maxStores + " stores are away");
            }
            p = new Parked(nowMs);
            stores.put(storeKey, p);
        }
        for (Event e : events) {
            add(p, e);
        }
        checkpoints.forEach(p.checkpoints::putIfAbsent);
        if (!events.isEmpty()) {
            log.info("kept {} unacknowledged event(s) for store {} until a coordinator of it is back", events.size(), storeKey);
        }
    }

    /** Queues a newly published event for every store that is away. */
    void publish(Event e) {
        for (Parked p : stores.values()) {
            add(p, e);
        }
    }

    void checkpoint(StreamTotals t) {
        for (Parked p : stores.values()) {
            p.checkpoints.put(t.getStreamId(), t);
        }
    }

    /** Removes and returns what is kept for a store that is reachable again, or null. */
    @Nullable Parked claim(String storeKey) {
        return stores.remove(storeKey);
    }

    /** Gives up stores away for longer than the retention, and any no longer wanted. */
    void expire(long nowMs) {
        for (Iterator<Map.Entry<String, Parked>> it = stores.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Parked> s = it.next();
            if (nowMs - s.getValue().sinceMs > retentionMs) {
                it.remove();
                giveUp(s.getKey(), s.getValue(), "away for more than " + retentionMs / 60_000 + " min");
            }
        }
    }

    Set<String> keys() {
        return stores.keySet();
    }

    int events() {
        int n = 0;
        for (Parked p : stores.values()) {
            n += p.events.size();
        }
        return n;
    }

    /** The events of the store that keeps the most: what one store will have to take when it is back. */
    int largest() {
        int n = 0;
        for (Parked p : stores.values()) {
            n = Math.max(n, p.events.size());
        }
        return n;
    }

    private void add(Parked p, Event e) {
        BoundedEvents.append(p.events, e, maxQueued, dropped);
    }

    private void giveUp(String key, Parked p, String why) {
        dropped.increment(p.events.size());
        log.warn("gave up {} event(s) kept for store {} ({}); that store misses them", p.events.size(), key, why);
    }
}
