package io.argus.cli.analyze.segment;

import io.argus.task.geom.BoxF;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which tracks of a new segment continue tracks of the run so far, decided over the overlap: the
 * frames of the new segment's warm-up, which the run so far has already emitted.
 *
 * <p>For each pair (earlier track, new track) the score is the mean IoU of their boxes over the
 * overlap frames where both are seen. Pairs seen together in at least {@code minSharedFrames}
 * frames with a score of at least {@code joinIou} are taken greedily, best score first (more shared
 * frames, then smaller ids, on a tie), each track at most once.
 */
final class TrackJoin {
    private TrackJoin() {
    }

    /**
     * Joins the new segment's tracks to earlier ones.
     *
     * @param earlier per overlap frame, the boxes the run emitted, by (global) track id
     * @param later   per overlap frame, the boxes of the new segment's warm-up, by its own track id
     * @return new segment's track id -> the earlier track id it continues
     */
    static Map<Long, Long> join(Map<Long, Map<Long, BoxF>> earlier, Map<Long, Map<Long, BoxF>> later, StitchConfig cfg) {
        Map<List<Long>, double[]> pairs = new HashMap<>(); // (earlier, later) -> {sum of IoU, frames}
        later.forEach((frame, boxes) -> {
            Map<Long, BoxF> before = earlier.getOrDefault(frame, Map.of());
            boxes.forEach((id, box) -> before.forEach((g, b) -> {
                double[] s = pairs.computeIfAbsent(List.of(g, id), k -> new double[2]);
                s[0] += box.iou(b);
                s[1]++;
            }));
        });
        List<Map.Entry<List<Long>, double[]>> ranked = new ArrayList<>(pairs.entrySet());
        ranked.removeIf(e -> e.getValue()[1] < cfg.minSharedFrames() || e.getValue()[0] / e.getValue()[1] < cfg.joinIou());
        ranked.sort(Comparator.<Map.Entry<List<Long>, double[]>>comparingDouble(e -> -e.getValue()[0] / e.getValue()[1])
                .thenComparingDouble(e -> -e.getValue()[1])
                .thenComparingLong(e -> e.getKey().get(0))
                .thenComparingLong(e -> e.getKey().get(1)));
        Map<Long, Long> joined = new HashMap<>();
        Set<Long> taken = new HashSet<>();
        for (var e : ranked) {
            long g = e.getKey().get(0);
            long id = e.getKey().get(1);
            if (!joined.containsKey(id) && taken.add(g)) {
                joined.put(id, g);
            }
        }
        return joined;
    }
}
