package io.argus.cli.eval;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Identity measures of Ristani et al. 2016 ("Performance Measures and a Data Set for Multi-Target,
 * Multi-Camera Tracking"), as py-motmetrics' {@code id_global_assignment} / {@code idf1} compute
 * them: each ground-truth trajectory is matched to at most one tracker trajectory, one-to-one over
 * the whole sequence, so as to maximise IDTP, where a pair's IDTP is the number of frames in which
 * both exist and may pair ({@code 1 - IoU <= 0.5}, {@link ClearMot#pairs}). Then
 * {@code IDFN = gt boxes - IDTP}, {@code IDFP = tracker boxes - IDTP},
 * {@code IDF1 = 2 IDTP / (gt boxes + tracker boxes)}, {@code IDP = IDTP / tracker boxes},
 * {@code IDR = IDTP / gt boxes}.
 *
 * <p>Maximising IDTP is the same as py-motmetrics' minimising IDFP + IDFN. The bipartite graph of
 * pairs with IDTP > 0 is solved one connected component at a time: trajectories in different
 * components share no frame, so this is the same optimum with much smaller matrices.
 */
public final class IdentityMetrics {
    private final Map<Long, Map<Long, Integer>> tp = new LinkedHashMap<>(); // oid -> hid -> frames
    private long objects;
    private long hypotheses;

    /** One frame, with the same arguments as {@link ClearMot#update}. */
    public void update(long[] oids, long[] hids, double[][] iou) {
        objects += oids.length;
        hypotheses += hids.length;
        for (int i = 0; i < oids.length; i++) {
            for (int j = 0; j < hids.length; j++) {
                if (ClearMot.pairs(iou[i][j])) {
                    tp.computeIfAbsent(oids[i], k -> new HashMap<>()).merge(hids[j], 1, Integer::sum);
                }
            }
        }
    }

    public IdentityResult result() {
        long idtp = 0;
        Map<Long, List<Long>> hypToObj = new HashMap<>();
        tp.forEach((o, hs) -> hs.keySet().forEach(h -> hypToObj.computeIfAbsent(h, k -> new ArrayList<>()).add(o)));
        Map<Long, Boolean> visited = new HashMap<>();
        for (Long start : tp.keySet()) {
            if (visited.containsKey(start)) {
                continue;
            }
            // one connected component: objects and hypotheses linked by pairs with IDTP > 0
            List<Long> objs = new ArrayList<>();
            List<Long> hyps = new ArrayList<>();
            Map<Long, Boolean> seenHyp = new HashMap<>();
            Deque<Long> queue = new ArrayDeque<>(List.of(start));
            visited.put(start, true);
            while (!queue.isEmpty()) {
                Long o = queue.poll();
                objs.add(o);
                for (Long h : Objects.requireNonNull(tp.get(o)).keySet()) {
                    if (seenHyp.putIfAbsent(h, true) == null) {
                        hyps.add(h);
                        for (Long o2 : Objects.requireNonNull(hypToObj.get(h))) {
                            if (visited.putIfAbsent(o2, true) == null) {
                                queue.add(o2);
                            }
                        }
                    }
                }
            }
            idtp += maxTruePositives(objs, hyps);
        }
        return new IdentityResult(idtp, objects, hypotheses);
    }

    /** Maximum total IDTP over one-to-one matchings within one component. */
    private long maxTruePositives(List<Long> objs, List<Long> hyps) {
        int[][] w = new int[objs.size()][hyps.size()];
        int max = 0;
        for (int i = 0; i < objs.size(); i++) {
            Map<Long, Integer> row = Objects.requireNonNull(tp.get(objs.get(i)));
            for (int j = 0; j < hyps.size(); j++) {
                w[i][j] = row.getOrDefault(hyps.get(j), 0);
                max = Math.max(max, w[i][j]);
            }
        }
        // minimising (max - w) over an assignment of the smaller side maximises the sum of w
        double[][] cost = new double[w.length][hyps.size()];
        for (int i = 0; i < w.length; i++) {
            for (int j = 0; j < w[i].length; j++) {
                cost[i][j] = max - w[i][j];
            }
        }
        int[] a = Hungarian.solve(cost);
        long sum = 0;
        for (int i = 0; i < a.length; i++) {
            if (a[i] >= 0) {
                sum += w[i][a[i]];
            }
        }
        return sum;
    }
}
