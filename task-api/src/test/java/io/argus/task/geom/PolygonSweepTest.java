package io.argus.task.geom;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class PolygonSweepTest {

    @Test
    void degenerateCasesAreDecidedExactly() {
        assertSimple(false, 0, 0, 10, 0, 10, 10, 0, 10);                // square
        assertSimple(true, 0, 0, 10, 10, 10, 0, 0, 10);                 // bow-tie
        assertSimple(true, 0, 0, 1, 0, 2, 0);                           // collinear triangle folds back
        assertSimple(false, 0, 0, 5, 0, 10, 0, 10, 10, 0, 10);           // collinear vertex on a straight edge
        assertSimple(true, 0, 0, 10, 0, 10, 0, 10, 10, 0, 10);           // repeated point (zero-length edge)
        assertSimple(true, 0, 0, 10, 0, 10, 10, 0, 10, 0, 0);            // last point repeats the first
        assertSimple(true, 0, 0, 10, 0, 5, 5, 10, 10, 0, 10, 5, 5);      // two vertices at one position
        assertSimple(true, 0, 0, 10, 0, 10, 10, 5, 0, 0, 10);            // a vertex touches an edge
        assertSimple(true, 0, 0, 10, 0, 15, 0, 5, 0, 5, 10);             // spike back along its own edge
        assertSimple(true, 0, 0, 10, 0, 10, 10, 10, 5, 0, 10);           // consecutive edges overlap (vertical)
        assertSimple(true, 0, 0, 4, 0, 4, 4, 2, 4, 2, 0, 0, 4);          // edges overlap collinearly, not consecutive
        assertSimple(false, 0, 0, 4, 0, 4, 4, 2, 1, 0, 4);               // concave, no touching
        assertSimple(true, 0, 0, 0, 10, 5, 5, 0, 5, 10, 0);              // vertical edges, one vertex on another edge
        // nearly collinear, decided by the exact sign: (0.3, 0.3) is not on the line through (0.1, 0.1) and (0.2, 0.2)
        assertThat(PolygonSweep.selfIntersects(pts(0.1, 0.1, 0.2, 0.2, 0.3, 0.3)))
                .isEqualTo(PairwiseSimplicity.selfIntersects(pts(0.1, 0.1, 0.2, 0.2, 0.3, 0.3)));
        assertSimple(false, -0.0, 0, 10, 0, 10, 10, 0.0, 10);            // -0.0 and 0.0 are one coordinate
    }

    /** Small integer grids make collinear, touching and repeated points common: the hard cases. */
    @Test
    void agreesWithThePairwiseCheckOnRandomPolygons() {
        Random rnd = new Random(20261205L);
        int simple = 0;
        int notSimple = 0;
        for (int trial = 0; trial < 20_000; trial++) {
            int grid = 2 + rnd.nextInt(trial % 3 == 0 ? 4 : 40);
            int n = 3 + rnd.nextInt(trial % 5 == 0 ? 40 : 8);
            List<Pt> p = trial % 2 == 0 ? randomPoints(rnd, n, grid) : starShaped(rnd, n, grid);
            boolean expected = PairwiseSimplicity.selfIntersects(p);
            assertThat(PolygonSweep.selfIntersects(p)).as("polygon %s", p).isEqualTo(expected);
            if (expected) {
                notSimple++;
            } else {
                simple++;
            }
        }
        // both answers must be exercised, or agreement proves little
        assertThat(simple).isGreaterThan(2_000);
        assertThat(notSimple).isGreaterThan(2_000);
    }

    @Test
    void agreesWithThePairwiseCheckOnNonIntegerCoordinates() {
        Random rnd = new Random(7L);
        for (int trial = 0; trial < 3_000; trial++) {
            int n = 3 + rnd.nextInt(30);
            List<Pt> p = new ArrayList<>();
            for (Pt q : starShaped(rnd, n, 1000)) {
                p.add(new Pt(q.x() / 7.0 + rnd.nextGaussian() * 1e-9, q.y() / 3.0));
            }
            assertThat(PolygonSweep.selfIntersects(p)).as("polygon %s", p)
                    .isEqualTo(PairwiseSimplicity.selfIntersects(p));
        }
    }

    /** The case that froze an agent: 100,000 points. Quadratic is ~5e9 segment tests; the sweep is milliseconds. */
    @Test
    void aHundredThousandPointsAreCheckedQuickly() {
        Random rnd = new Random(3L);
        List<Pt> p = new ArrayList<>();
        int n = 100_000;
        for (int i = 0; i < n; i++) {
            double a = 2 * Math.PI * i / n;
            double r = 1000 + rnd.nextDouble() * 10;
            p.add(new Pt(2000 + r * Math.cos(a), 2000 + r * Math.sin(a)));
        }
        assertThat(PolygonSweep.selfIntersects(p)).isFalse();
        // the sweep's claim, counted rather than timed (a unit test must not depend on the machine's
        // load; this one failed at 5.7 s on a busy machine): every pair would be 5e9 tests
        assertThat(PolygonSweep.pairTests(p)).as("pairs of edges tested for 100,000 points").isLessThanOrEqualTo(3L * n);
        List<Pt> bow = new ArrayList<>(p);
        Collections.swap(bow, 10, 50_000);
        assertThat(PolygonSweep.selfIntersects(bow)).isTrue();
    }

    private static List<Pt> randomPoints(Random rnd, int n, int grid) {
        List<Pt> p = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            p.add(new Pt(rnd.nextInt(grid), rnd.nextInt(grid)));
        }
        return p;
    }

    /** Vertices by angle around a centre: mostly simple, with collinear and touching cases after rounding. */
    private static List<Pt> starShaped(Random rnd, int n, int grid) {
        double[] angles = new double[n];
        for (int i = 0; i < n; i++) {
            angles[i] = rnd.nextDouble() * 2 * Math.PI;
        }
        Arrays.sort(angles);
        List<Pt> p = new ArrayList<>();
        double c = grid / 2.0;
        for (double a : angles) {
            double r = c * (0.2 + 0.8 * rnd.nextDouble());
            p.add(new Pt(Math.round(c + r * Math.cos(a)), Math.round(c + r * Math.sin(a))));
        }
        return p;
    }

    private static void assertSimple(boolean selfIntersects, double... xy) {
        List<Pt> p = pts(xy);
        assertThat(PairwiseSimplicity.selfIntersects(p)).as("oracle on %s", p).isEqualTo(selfIntersects);
        assertThat(PolygonSweep.selfIntersects(p)).as("sweep on %s", p).isEqualTo(selfIntersects);
    }

    private static List<Pt> pts(double... xy) {
        List<Pt> p = new ArrayList<>();
        for (int i = 0; i < xy.length; i += 2) {
            p.add(new Pt(xy[i], xy[i + 1]));
        }
        return p;
    }
}
