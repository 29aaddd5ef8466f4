package io.argus.cli.eval;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * CLEAR-MOT (Bernardin and Stiefelhagen 2008) accumulated frame by frame exactly as
 * py-motmetrics' {@code MOTAccumulator.update} does with {@code distances = 1 - IoU} and
 * {@code max_iou = 0.5}: a ground-truth object and a hypothesis may pair only when
 * {@code 1 - IoU <= 0.5}. Per frame:
 * <ol>
 *   <li>each object, in input order, keeps the hypothesis it was last matched to if that
 *       hypothesis is present, still free, and may pair with it, even when another hypothesis
 *       overlaps the object better (a MATCH);</li>
 *   <li>the remaining objects and hypotheses are assigned by minimum total distance (Hungarian),
 *       maximum number of pairs first (py-motmetrics gives forbidden pairs a cost so large that
 *       any assignment using fewer of them wins); a pair whose object was last matched to another
 *       hypothesis is a SWITCH, otherwise a MATCH;</li>
 *   <li>objects left over are misses (FN), hypotheses left over false positives (FP).</li>
 * </ol>
 * The "last matched" hypothesis is remembered across frames without limit
 * ({@code max_switch_time = inf}, py-motmetrics' default). Ties between equally good assignments
 * may be broken differently from scipy's solver; the counts then differ only in such ties.
 */
public final class ClearMot {
    /** py-motmetrics {@code max_iou}: the largest distance {@code 1 - IoU} that may pair. */
    public static final double MAX_DISTANCE = 0.5;

    private final Map<Long, Long> lastMatch = new HashMap<>();          // py-motmetrics' self.m
    private final Map<Long, int[]> perObject = new LinkedHashMap<>();   // oid -> {frames present, frames matched}
    private long objects;
    private long hypotheses;
    private long matches;
    private long switches;
    private long falsePositives;
    private long misses;
    private double sumIou;

    /** Whether an object and a hypothesis with this IoU may pair at all. */
    public static boolean pairs(double iou) {
        return 1 - iou <= MAX_DISTANCE; // the distance test py-motmetrics makes, in the same arithmetic
    }

    /**
     * One frame: object (ground-truth) ids, hypothesis (tracker) ids, and {@code iou[i][j]} between
     * object i and hypothesis j. Ids must be unique within each list.
     */
    public void update(long[] oids, long[] hids, double[][] iou) {
        int no = oids.length;
        int nh = hids.length;
        objects += no;
        hypotheses += nh;
        boolean[] oDone = new boolean[no];
        boolean[] hDone = new boolean[nh];
        for (long o : oids) {
            perObject.computeIfAbsent(o, k -> new int[2])[0]++;
        }
        if (no > 0 && nh > 0) {
            // 1. carry forward the previous correspondences that may still pair
            for (int i = 0; i < no; i++) {
                Long prev = lastMatch.get(oids[i]);
                if (prev == null) {
                    continue;
                }
                for (int j = 0; j < nh; j++) {
                    if (!hDone[j] && hids[j] == prev) {
                        if (pairs(iou[i][j])) {
                            oDone[i] = true;
                            hDone[j] = true;
                            record(oids[i], hids[j], iou[i][j], false);
                        }
                        break; // only the first free hypothesis with that id is looked at
                    }
                }
            }
            // 2. the rest by minimum total distance, as many pairs as possible first
            assignRest(oids, hids, iou, oDone, hDone);
        }
        for (int i = 0; i < no; i++) {
            if (!oDone[i]) {
                misses++;
            }
        }
        for (int j = 0; j < nh; j++) {
            if (!hDone[j]) {
                falsePositives++;
            }
        }
    }

    private void assignRest(long[] oids, long[] hids, double[][] iou, boolean[] oDone, boolean[] hDone) {
        int[] rows = free(oDone);
        int[] cols = free(hDone);
        if (rows.length == 0 || cols.length == 0) {
            return;
        }
        double[][] cost = new double[rows.length][cols.length];
        double maxAbs = 0;
        boolean anyValid = false;
        for (int a = 0; a < rows.length; a++) {
            for (int b = 0; b < cols.length; b++) {
                double d = 1 - iou[rows[a]][cols[b]];
                if (pairs(iou[rows[a]][cols[b]])) {
                    anyValid = true;
                    maxAbs = Math.max(maxAbs, Math.abs(d));
                    cost[a][b] = d;
                } else {
                    cost[a][b] = Double.NaN;
                }
            }
        }
        if (!anyValid) {
            return;
        }
        // py-motmetrics lap.add_expensive_edges: a forbidden pair costs more than any assignment of
        // valid pairs could save, so the solver first maximises the number of valid pairs
        double c = maxAbs + 1;
        double large = 2 * Math.min(rows.length, cols.length) * c + 1;
        for (double[] row : cost) {
            for (int b = 0; b < row.length; b++) {
                if (Double.isNaN(row[b])) {
                    row[b] = large;
                }
            }
        }
        int[] assigned = Hungarian.solve(cost);
        for (int a = 0; a < rows.length; a++) {
            int b = assigned[a];
            if (b < 0 || cost[a][b] == large) {
                continue;
            }
            int i = rows[a];
            int j = cols[b];
            Long prev = lastMatch.get(oids[i]);
            oDone[i] = true;
            hDone[j] = true;
            record(oids[i], hids[j], iou[i][j], prev != null && prev != hids[j]);
        }
    }

    private void record(long oid, long hid, double iou, boolean isSwitch) {
        if (isSwitch) {
            switches++;
        } else {
            matches++;
        }
        sumIou += iou;
        lastMatch.put(oid, hid);
        Objects.requireNonNull(perObject.get(oid))[1]++;
    }

    private static int[] free(boolean[] done) {
        int n = 0;
        for (boolean d : done) {
            n += d ? 0 : 1;
        }
        int[] out = new int[n];
        for (int i = 0, k = 0; i < done.length; i++) {
            if (!done[i]) {
                out[k++] = i;
            }
        }
        return out;
    }

    public ClearMotResult result() {
        int mt = 0;
        int pt = 0;
        int ml = 0;
        for (int[] c : perObject.values()) {
            // py-motmetrics track_ratios: frames matched (MATCH or SWITCH) over frames present
            double ratio = c[0] == 0 ? 0 : (double) c[1] / c[0];
            if (ratio >= 0.8) {
                mt++;
            } else if (ratio < 0.2) {
                ml++;
            } else {
                pt++;
            }
        }
        return new ClearMotResult(objects, hypotheses, matches, switches, falsePositives, misses, sumIou,
                perObject.size(), mt, pt, ml);
    }
}
