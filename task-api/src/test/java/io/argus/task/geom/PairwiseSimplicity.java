package io.argus.task.geom;

import java.util.List;

/**
 * The quadratic check that {@link PolygonSweep} replaced, kept only as the oracle of the tests:
 * every pair of edges, with the same rules (non-consecutive edges may not touch, consecutive
 * ones may share only their vertex, a zero-length edge is degenerate).
 */
final class PairwiseSimplicity {
    private PairwiseSimplicity() {
    }

    static boolean selfIntersects(List<Pt> pts) {
        int n = pts.size();
        for (int i = 0; i < n; i++) {
            Pt a1 = pts.get(i);
            Pt a2 = pts.get((i + 1) % n);
            for (int j = i + 1; j < n; j++) {
                Pt b1 = pts.get(j);
                Pt b2 = pts.get((j + 1) % n);
                boolean meet;
                if (j == i + 1) {
                    meet = Segments.overlapBeyondShared(a1, a2, b2);
                } else if (i == 0 && j == n - 1) {
                    meet = Segments.overlapBeyondShared(b1, b2, a2);
                } else {
                    meet = Segments.intersect(a1, a2, b1, b2);
                }
                if (meet) {
                    return true;
                }
            }
        }
        return false;
    }
}
