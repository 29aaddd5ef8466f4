package io.argus.agent.task.people;

import io.argus.task.api.people.Zone;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Who is in one {@link Zone}, since when, and how many came and went. A person is inside while
 * their foot point is in the polygon and they are present ({@link Occupancy}: seen, or coasting
 * through an occlusion inside the picture). An entry is decided on the frame the person is first
 * inside; an exit on the first frame they are not (they left the zone, left the picture, or their
 * track ended). Tracks are visited in id order, so events come in the same order on every agent.
 */
final class ZoneCounter {
    private final Zone zone;
    /** track id -> capture time (us) of its entry; ordered, so iteration is deterministic */
    private final NavigableMap<Long, Long> inside;
    private final long[] totals;

    record Change(long trackId, boolean entered, double dwellSeconds) {
    }

    /**
     * @param inside who is inside since when (the stream's state: updated in place)
     * @param totals entries and exits so far (the stream's state: updated in place)
     */
    ZoneCounter(Zone zone, NavigableMap<Long, Long> inside, long[] totals) {
        this.zone = zone;
        this.inside = inside;
        this.totals = totals;
    }

    long entries() {
        return totals[0];
    }

    long exits() {
        return totals[1];
    }

    Zone zone() {
        return zone;
    }

    /** One frame: the people present now; returns who entered and who left, by track id. */
    List<Change> update(List<Track> present, long nowUs) {
        TreeMap<Long, Track> now = new TreeMap<>();
        for (Track t : present) {
            if (zone.polygon().contains(t.foot())) {
                now.put(t.id, t);
            }
        }
        List<Change> changes = new ArrayList<>();
        // not the map's own entries: removing a TreeMap node that has two children moves its
        // successor's key and value into the removed node's entry object, so an entry held across a
        // removal named the next person (exits were reported for the wrong track, with its dwell)
        for (var e : new TreeMap<>(inside).entrySet()) { // a copy's entries: the removals do not touch them
            if (!now.containsKey(e.getKey())) {
                inside.remove(e.getKey());
                totals[1]++;
                changes.add(new Change(e.getKey(), false, Math.max(0, nowUs - e.getValue()) / 1e6));
            }
        }
        for (Long id : now.keySet()) {
            if (!inside.containsKey(id)) {
                inside.put(id, nowUs);
                totals[0]++;
                changes.add(new Change(id, true, 0));
            }
        }
        return changes;
    }

    int occupancy() {
        return inside.size();
    }

    /** The longest time anyone inside now has been there, in seconds. */
    double maxDwellSeconds(long nowUs) {
        long oldest = Long.MAX_VALUE;
        for (long since : inside.values()) {
            oldest = Math.min(oldest, since);
        }
        return inside.isEmpty() ? 0 : Math.max(0, nowUs - oldest) / 1e6;
    }
}
