package io.argus.agent.task.people;

import io.argus.task.geom.BoxF;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Multi-object tracker: predict every track, match detections by minimum-cost assignment
 * (Hungarian) on a cost mixing overlap and centre distance, update matched tracks, age the rest.
 *
 * <ul>
 *   <li>A detection may only match a track whose predicted centre is within {@code gate} box
 *       heights (growing by a tenth of a height per missed frame, up to twice the gate) and whose
 *       height is within a factor 2: beyond that, it is someone else.</li>
 *   <li>The cost adds the colour-histogram distance ({@link Appearance}) to overlap and distance,
 *       so that two people walking past each other keep their ids.</li>
 *   <li>New tracks are tentative; {@code confirmHits} hits within their first
 *       {@code confirmHits + 2} frames confirm them and give them their id. Tentative tracks die at
 *       their second miss: a single false detection never becomes a person.</li>
 *   <li>Confirmed tracks coast on their prediction while unmatched and die after
 *       {@code maxMisses} frames: short occlusions keep their id.</li>
 * </ul>
 */
public final class Tracker {
    static final double FORBIDDEN = 1e6;

    public final List<Track> tracks = new ArrayList<>();
    public long nextId = 1;
    public long nextProvisional = 1;
    private final TrackerConfig cfg;

    public record TrackerConfig(int confirmHits, int maxMisses, double gate) {
        public static final TrackerConfig DEFAULT = new TrackerConfig(3, 15, 0.6);
    }

    public Tracker(TrackerConfig cfg) {
        this.cfg = cfg;
    }

    public TrackerConfig config() {
        return cfg;
    }

    /** Runs one frame; returns the tracks matched in it (confirmed or not). */
    public List<Track> update(List<Detection> detections, long index) {
        for (Track t : tracks) {
            t.predict(index);
        }
        // confirmed tracks first, so that they win detections over tentative ones
        List<Track> ordered = new ArrayList<>(tracks);
        ordered.sort((a, b) -> Boolean.compare(b.confirmed(), a.confirmed()));
        double[][] cost = new double[ordered.size()][detections.size()];
        for (int i = 0; i < ordered.size(); i++) {
            Track t = ordered.get(i);
            BoxF pred = t.box();
            for (int j = 0; j < detections.size(); j++) {
                cost[i][j] = cost(t, pred, detections.get(j));
            }
        }
        int[] match = Hungarian.solve(cost, FORBIDDEN);
        boolean[] used = new boolean[detections.size()];
        List<Track> matched = new ArrayList<>();
        for (int i = 0; i < ordered.size(); i++) {
            Track t = ordered.get(i);
            if (match[i] >= 0) {
                used[match[i]] = true;
                t.correct(detections.get(match[i]));
                matched.add(t);
                if (!t.confirmed() && t.hits >= cfg.confirmHits()) {
                    t.state = Track.State.CONFIRMED;
                    t.id = nextId++;
                }
            } else {
                t.misses++;
            }
        }
        Iterator<Track> it = tracks.iterator();
        while (it.hasNext()) {
            Track t = it.next();
            boolean dead = t.confirmed() ? t.misses > cfg.maxMisses()
                    : t.misses >= 2 || (t.age >= cfg.confirmHits() + 2 && t.hits < cfg.confirmHits());
            if (dead) {
                it.remove();
            }
        }
        for (int j = 0; j < detections.size(); j++) {
            if (!used[j]) {
                Track t = new Track(nextProvisional++, detections.get(j), index);
                tracks.add(t);
                matched.add(t);
            }
        }
        return matched;
    }

    private double cost(Track t, BoxF pred, Detection d) {
        BoxF det = d.box();
        double ratio = det.h() / pred.h();
        if (ratio < 0.5 || ratio > 2) {
            return FORBIDDEN;
        }
        double dist = Math.hypot(det.cx() - pred.cx(), det.cy() - pred.cy()) / pred.h();
        // the longer a track coasts, the further it may have gone, within limits
        double gate = cfg.gate() * Math.min(2, 1 + 0.1 * t.misses);
        if (dist > gate) {
            return FORBIDDEN;
        }
        return (1 - pred.iou(det)) + dist + Appearance.distance(t.appearance, d.appearance());
    }
}
