package io.argus.cli.eval;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The boxes of one video sequence, by frame (in file order within a frame, which the CLEAR-MOT
 * matching depends on, as in py-motmetrics) and by track id (in frame order).
 *
 * <p>{@link #labelledFrames()} also holds frames whose only rows were ignored ({@code consider=0}):
 * someone looked at that frame, so it is evaluated.
 */
public final class Sequence {
    private final NavigableMap<Integer, List<MotBox>> byFrame = new TreeMap<>();
    private final NavigableMap<Long, List<MotBox>> byId = new TreeMap<>();
    private final NavigableSet<Integer> labelled = new TreeSet<>();
    private int rows;

    /** Boxes in file order; {@code alsoLabelled}: frames with rows that were read but ignored. */
    public static Sequence of(Collection<MotBox> boxes, Collection<Integer> alsoLabelled) {
        Sequence s = new Sequence();
        for (MotBox b : boxes) {
            s.byFrame.computeIfAbsent(b.frame(), k -> new ArrayList<>()).add(b);
            s.byId.computeIfAbsent(b.id(), k -> new ArrayList<>()).add(b);
            s.labelled.add(b.frame());
            s.rows++;
        }
        s.labelled.addAll(alsoLabelled);
        // a file need not be sorted by frame; a track is followed in time
        s.byId.values().forEach(l -> l.sort((a, b) -> Integer.compare(a.frame(), b.frame())));
        return s;
    }

    public static Sequence of(Collection<MotBox> boxes) {
        return of(boxes, List.of());
    }

    /** The same sequence with only the boxes on the given frames (and only those frames labelled). */
    public Sequence onlyFrames(Set<Integer> frames) {
        List<MotBox> kept = new ArrayList<>();
        byFrame.forEach((f, l) -> {
            if (frames.contains(f)) {
                kept.addAll(l);
            }
        });
        List<Integer> alsoLabelled = labelled.stream().filter(frames::contains).toList();
        return of(kept, alsoLabelled);
    }

    public List<MotBox> boxes(int frame) {
        return Collections.unmodifiableList(byFrame.getOrDefault(frame, List.of()));
    }

    /** Frames with at least one box. */
    public NavigableSet<Integer> frames() {
        return Collections.unmodifiableNavigableSet(byFrame.navigableKeySet());
    }

    /** Frames that were labelled: with a box, or with rows that were ignored. */
    public NavigableSet<Integer> labelledFrames() {
        return Collections.unmodifiableNavigableSet(labelled);
    }

    /** Track id -> its boxes in frame order. */
    public Map<Long, List<MotBox>> tracks() {
        return Collections.unmodifiableMap(byId);
    }

    public int rows() {
        return rows;
    }

    public int firstFrame() {
        return labelled.isEmpty() ? 0 : labelled.first();
    }

    public int lastFrame() {
        return labelled.isEmpty() ? 0 : labelled.last();
    }
}
