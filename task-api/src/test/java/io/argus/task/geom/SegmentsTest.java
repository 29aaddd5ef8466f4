package io.argus.task.geom;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class SegmentsTest {

    /**
     * Points a few ulps off the line through (12, 12) and (24, 24): the double determinant gets
     * the sign wrong for some of them, the exact orientation never does.
     */
    @Test
    void orientationIsExactNearCollinearPoints() {
        Pt q = new Pt(12, 12);
        Pt r = new Pt(24, 24);
        int wrongInDoubles = 0;
        for (int i = 0; i < 256; i++) {
            for (int j = 0; j < 256; j++) {
                Pt p = new Pt(0.5 + i * Math.ulp(0.5), 0.5 + j * Math.ulp(0.5));
                int exact = Segments.exactOrientation(p, q, r);
                assertThat(Segments.orientation(p, q, r)).as("%s", p).isEqualTo(exact);
                assertThat(Segments.orientation(q, r, p)).as("%s rotated", p).isEqualTo(exact);
                if ((int) Math.signum(Segments.side(p, q, r)) != exact) {
                    wrongInDoubles++;
                }
            }
        }
        assertThat(wrongInDoubles).as("cases the double determinant gets wrong").isPositive();
    }

    @Test
    void orientationAgreesWithExactOnRandomAndHugeInputs() {
        Random rnd = new Random(11L);
        for (int k = 0; k < 100_000; k++) {
            double s = k % 3 == 0 ? 1e300 : k % 3 == 1 ? 1e-300 : 1;
            Pt a = new Pt(rnd.nextGaussian() * s, rnd.nextGaussian() * s);
            Pt b = new Pt(rnd.nextGaussian() * s, rnd.nextGaussian() * s);
            double t = rnd.nextDouble();
            Pt p = k % 2 == 0 ? new Pt(a.x() + t * (b.x() - a.x()), a.y() + t * (b.y() - a.y()))
                    : new Pt(rnd.nextGaussian() * s, rnd.nextGaussian() * s);
            assertThat(Segments.orientation(a, b, p)).isEqualTo(Segments.exactOrientation(a, b, p));
        }
    }

    @Test
    void touchingAndCollinearSegmentsIntersect() {
        assertThat(Segments.intersect(new Pt(0, 0), new Pt(10, 0), new Pt(5, 0), new Pt(5, 5))).isTrue();   // T
        assertThat(Segments.intersect(new Pt(0, 0), new Pt(10, 0), new Pt(10, 0), new Pt(20, 5))).isTrue(); // end to end
        assertThat(Segments.intersect(new Pt(0, 0), new Pt(10, 0), new Pt(5, 0), new Pt(15, 0))).isTrue();  // overlap
        assertThat(Segments.intersect(new Pt(0, 0), new Pt(10, 0), new Pt(11, 0), new Pt(15, 0))).isFalse(); // collinear apart
        assertThat(Segments.intersect(new Pt(0, 0), new Pt(10, 10), new Pt(0, 10), new Pt(10, 0))).isTrue(); // cross
        assertThat(Segments.intersect(new Pt(0, 0), new Pt(10, 10), new Pt(0, 1), new Pt(9, 10))).isFalse(); // parallel
    }

    @Test
    void consecutiveEdgesOverlapOnlyWhenTheyFoldBack() {
        assertThat(Segments.overlapBeyondShared(new Pt(0, 0), new Pt(10, 0), new Pt(5, 0))).isTrue();
        assertThat(Segments.overlapBeyondShared(new Pt(0, 0), new Pt(10, 0), new Pt(20, 0))).isFalse();
        assertThat(Segments.overlapBeyondShared(new Pt(0, 0), new Pt(10, 0), new Pt(10, 5))).isFalse();
        assertThat(Segments.overlapBeyondShared(new Pt(0, 0), new Pt(0, 10), new Pt(0, 3))).isTrue();
        assertThat(Segments.overlapBeyondShared(new Pt(10, 0), new Pt(10, 0), new Pt(20, 3))).isTrue(); // zero length
    }
}
