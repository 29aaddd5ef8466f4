package io.argus.agent.task.people;

import io.argus.task.api.people.CountingLine;
import io.argus.task.geom.Pt;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LineCrossingCounterTest {
    static final CountingLine MID = new CountingLine("mid", new Pt(384, 0), new Pt(384, 576));

    /** Walks one foot point from x0 to x1 at height y, one frame per step pixels; returns the counter. */
    static LineCrossingCounter walk(CountingLine line, double x0, double x1, double y, int age0) {
        LineCrossingCounter c = new LineCrossingCounter(line, 0.15, 5);
        int steps = (int) Math.abs(x1 - x0) / 4;
        for (int i = 0; i <= steps; i++) {
            double x = x0 + (x1 - x0) * i / steps;
            c.update(7, new Pt(x, y), 100, age0 + i);
        }
        return c;
    }

    @Test
    void walkingRightToLeftAcrossTheExampleLineIsIn() {
        // s = (x2-x1)(y-y1) - (y2-y1)(x-x1) = -576 (x - 384): positive left of the line
        LineCrossingCounter c = walk(MID, 600, 200, 300, 10);
        assertThat(c.in).isEqualTo(1);
        assertThat(c.out).isZero();
    }

    @Test
    void walkingLeftToRightIsOut() {
        LineCrossingCounter c = walk(MID, 200, 600, 300, 10);
        assertThat(c.out).isEqualTo(1);
        assertThat(c.in).isZero();
    }

    @Test
    void reversingTheLineReversesTheDirection() {
        CountingLine reversed = new CountingLine("rev", new Pt(384, 576), new Pt(384, 0));
        assertThat(walk(reversed, 600, 200, 300, 10).out).isEqualTo(1);
    }

    @Test
    void jitterAroundTheLineWithinTheBandNeverCounts() {
        LineCrossingCounter c = new LineCrossingCounter(MID, 0.15, 5);
        c.update(1, new Pt(300, 300), 100, 20); // clearly on the left
        for (int i = 0; i < 200; i++) {
            double x = 384 + ((i % 2 == 0) ? 12 : -12); // within 15 px (0.15 x 100) of the line
            assertThat(c.update(1, new Pt(x, 300), 100, 21 + i)).isNull();
        }
        assertThat(c.in + c.out).isZero();
    }

    @Test
    void walkingAroundTheEndOfTheSegmentIsNotACrossing() {
        CountingLine shortLine = new CountingLine("door", new Pt(384, 200), new Pt(384, 300));
        LineCrossingCounter c = walk(shortLine, 600, 200, 450, 10); // below the segment's end
        assertThat(c.in + c.out).isZero();
        assertThat(walk(shortLine, 600, 200, 250, 10).in).isEqualTo(1);
    }

    @Test
    void youngTracksDoNotCount() {
        LineCrossingCounter c = new LineCrossingCounter(MID, 0.15, 5);
        c.update(1, new Pt(420, 300), 100, 0);
        assertThat(c.update(1, new Pt(340, 300), 100, 3)).isNull();
        assertThat(c.in).isZero();
    }

    @Test
    void aTrackFirstSeenOnTheFarSideAfterAnIdSwitchDoesNotCountAgain() {
        LineCrossingCounter c = walk(MID, 600, 200, 300, 10);
        assertThat(c.in).isEqualTo(1);
        // the same person picked up under a new id on the far side and walking on
        c.update(8, new Pt(250, 300), 100, 10);
        c.update(8, new Pt(150, 300), 100, 11);
        assertThat(c.in).isEqualTo(1);
    }

    @Test
    void backAndForthCountsEachRealCrossing() {
        LineCrossingCounter c = new LineCrossingCounter(MID, 0.15, 5);
        double[] xs = {500, 300, 500, 300};
        int age = 10;
        for (double x : xs) {
            c.update(3, new Pt(x, 300), 100, age++);
        }
        assertThat(c.in).isEqualTo(2);
        assertThat(c.out).isEqualTo(1);
    }

    @Test
    void aTrackFirstSeenInsideTheBandCountsWhenItStepsClearlyPastTheLine() {
        // picked up again 11 px right of the line (band 15 px) after a gap, walking left: it came
        // from the right, so stepping clearly left is one in
        LineCrossingCounter c = new LineCrossingCounter(MID, 0.15, 5);
        assertThat(c.update(9, new Pt(395, 300), 100, 10)).isNull();
        assertThat(c.update(9, new Pt(386, 300), 100, 11)).isNull();
        assertThat(c.update(9, new Pt(375, 300), 100, 12)).isNull(); // still inside the band
        assertThat(c.update(9, new Pt(365, 300), 100, 13)).isNotNull();
        assertThat(c.in).isEqualTo(1);
        // first seen inside the band, jittering across the line in it, then walking back out on
        // the side it was first seen on: nothing
        LineCrossingCounter d = new LineCrossingCounter(MID, 0.15, 5);
        for (int i = 0; i < 40; i++) {
            assertThat(d.update(3, new Pt(384 + (i % 2 == 0 ? 5 : -12), 300), 100, 10 + i)).isNull();
        }
        d.update(3, new Pt(420, 300), 100, 50);
        assertThat(d.in + d.out).isZero();
    }
}
