package io.argus.cli.eval;

import io.argus.task.geom.Pt;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.argus.cli.eval.ClearMotTest.box;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class CountingAndOccupancyTest {
    static final ShapeSpecs.CountLine MID = ShapeSpecs.line("mid:384,0,384,576");

    /** A 20x80 box whose foot point is at (footX, 300). */
    static MotBox at(int frame, long id, double footX) {
        return box(frame, id, footX - 10, 220, 20, 80);
    }

    @Test
    void aTrackCrossingOnceEachWayCountsOneInAndOneOut() {
        // for (384,0)->(384,576), s = -576 (x - 384): right of the line is negative, so walking
        // right to left (400 -> 370) is in, and back (370 -> 400) out
        Sequence gt = Sequence.of(List.of(at(1, 1, 400), at(2, 1, 370), at(3, 1, 400)));
        assertThat(LineCrossings.of(gt, MID.p1(), MID.p2())).containsExactly(
                new LineCrossings.Crossing(1, 2, true), new LineCrossings.Crossing(1, 3, false));
        // the tracker loses the person after frame 2: it counts the way in only
        Sequence tr = Sequence.of(List.of(at(1, 7, 401), at(2, 7, 371)));
        EvalReport r = Evaluation.run(gt, tr, new Evaluation.Options(List.of(MID), List.of(), null, null));
        assertThat(r.counting()).containsExactly(new CountingError("mid", "in", 1, 1), new CountingError("mid", "out", 1, 0));
        assertThat(r.counting().get(1).absoluteError()).isEqualTo(1);
        assertThat(r.counting().get(1).relativeError()).isEqualTo(1.0);
        assertThat(r.toJson().at("/lines/mid/out/abs_error").asLong()).isEqualTo(1);
        assertThat(r.toJson().at("/lines/mid/in/rel_error").asDouble()).isZero();
    }

    @Test
    void crossingBeyondTheEndOfTheLineOrOntoItDoesNotCount() {
        ShapeSpecs.CountLine shortLine = ShapeSpecs.line("s:384,0,384,100");
        // foot y = 300, below the segment's end at y = 100
        Sequence gt = Sequence.of(List.of(at(1, 1, 400), at(2, 1, 370)));
        assertThat(LineCrossings.of(gt, shortLine.p1(), shortLine.p2())).isEmpty();
        // touching the line and going back decides nothing
        Sequence touch = Sequence.of(List.of(at(1, 1, 400), at(2, 1, 384), at(3, 1, 400)));
        assertThat(LineCrossings.of(touch, MID.p1(), MID.p2())).isEmpty();
        // stepping onto the line and then past it is one crossing, at the step past it
        Sequence through = Sequence.of(List.of(at(1, 1, 400), at(2, 1, 384), at(3, 1, 384), at(4, 1, 370)));
        assertThat(LineCrossings.of(through, MID.p1(), MID.p2())).containsExactly(new LineCrossings.Crossing(1, 4, true));
        assertThat(LineCrossings.totals(gt, new Pt(384, 0), new Pt(384, 576))).containsExactly(1, 0);
    }

    @Test
    void tracksAreCountedWithThePeopleTasksBandAndTheTruthAsLabelled() {
        // one person walks from x 400 to 370 (in); the tracker's box wobbles around the line on the
        // way (383, 385, 383, 385). Boxes are 80 px tall: the band is 0.15 x 80 = 12 px each side
        Sequence gt = Sequence.of(List.of(at(1, 1, 400), at(6, 1, 370)));
        Sequence tr = Sequence.of(List.of(at(1, 7, 400), at(2, 7, 383), at(3, 7, 385), at(4, 7, 383), at(5, 7, 385),
                at(6, 7, 370)));
        // as labelled, every change of side: 3 in and 2 out; as counted, one in, at frame 6
        assertThat(LineCrossings.totals(tr, MID.p1(), MID.p2())).containsExactly(3, 2);
        assertThat(LineCrossings.of(tr, MID.p1(), MID.p2(), 0.15)).containsExactly(new LineCrossings.Crossing(7, 6, true));
        EvalReport counted = Evaluation.run(gt, tr, new Evaluation.Options(List.of(MID), List.of(), false, null));
        assertThat(counted.counting()).containsExactly(new CountingError("mid", "in", 1, 1), new CountingError("mid", "out", 0, 0));
        EvalReport raw = Evaluation.run(gt, tr, new Evaluation.Options(List.of(MID), List.of(), false, null, 0));
        assertThat(raw.counting()).containsExactly(new CountingError("mid", "in", 1, 3), new CountingError("mid", "out", 0, 2));
        // the truth is never banded: a labelled person who steps 5 px past the line crossed it
        Sequence step = Sequence.of(List.of(at(1, 1, 400), at(2, 1, 379)));
        EvalReport stepped = Evaluation.run(step, step, new Evaluation.Options(List.of(MID), List.of(), false, null));
        assertThat(stepped.counting()).containsExactly(new CountingError("mid", "in", 1, 0), new CountingError("mid", "out", 0, 0));
    }

    @Test
    void aTrackFirstSeenInsideTheBandTakesThatSideAndCountsWhenItStepsClearlyPast() {
        // found again 6 px right of the line (after a detection gap), then walks 14 px past it
        Sequence tr = Sequence.of(List.of(at(1, 3, 390), at(2, 3, 386), at(3, 3, 370)));
        assertThat(LineCrossings.of(tr, MID.p1(), MID.p2(), 0.15)).containsExactly(new LineCrossings.Crossing(3, 3, true));
        // and never when it only reaches into the band on the far side
        Sequence shy = Sequence.of(List.of(at(1, 3, 390), at(2, 3, 380), at(3, 3, 390)));
        assertThat(LineCrossings.of(shy, MID.p1(), MID.p2(), 0.15)).isEmpty();
        Assertions.assertThatThrownBy(() -> new Evaluation.Options(List.of(MID), List.of(), null, null, -0.1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void occupancyErrorPerFrameAndPerZone() {
        // zone: the left half, x < 384. GT: frame 1 two people (left, right), frame 2 one (left).
        // Tracker: frame 1 one person (left), frame 2 three (two left, one right).
        ShapeSpecs.CountZone left = ShapeSpecs.zone("left:0,0,384,0,384,576,0,576");
        Sequence gt = Sequence.of(List.of(at(1, 1, 100), at(1, 2, 500), at(2, 1, 100)));
        Sequence tr = Sequence.of(List.of(at(1, 5, 100), at(2, 5, 100), at(2, 6, 200), at(2, 7, 600)));
        EvalReport r = Evaluation.run(gt, tr, new Evaluation.Options(List.of(), List.of(left), null, null));
        OccupancyError whole = r.occupancy().get(0);
        OccupancyError zone = r.occupancy().get(1);
        // whole frame: |1-2| = 1, |3-1| = 2 -> MAE 1.5, max 2
        assertThat(whole.frames()).isEqualTo(2);
        assertThat(whole.meanAbsError()).isCloseTo(1.5, within(1e-12));
        assertThat(whole.maxAbsError()).isEqualTo(2);
        // left zone: |1-1| = 0, |2-1| = 1 -> MAE 0.5, max 1
        assertThat(zone.zone()).isEqualTo("left");
        assertThat(zone.meanAbsError()).isCloseTo(0.5, within(1e-12));
        assertThat(zone.maxAbsError()).isEqualTo(1);
        assertThat(r.toJson().at("/occupancy/left/mean_abs_error").asDouble()).isEqualTo(0.5);
        assertThat(r.toJson().at("/occupancy/frame/max_abs_error").asInt()).isEqualTo(2);
    }

    @Test
    void sparseGroundTruthIsScoredOnItsOwnFramesByDefault() {
        // GT labels frames 1 and 11; the tracker follows the person on every frame 1-11, exactly
        List<MotBox> gt = List.of(box(1, 1, 0, 0, 10, 10), box(11, 1, 0, 0, 10, 10));
        List<MotBox> tr = new ArrayList<>();
        for (int f = 1; f <= 11; f++) {
            tr.add(box(f, 3, 0, 0, 10, 10));
        }
        EvalReport auto = Evaluation.run(Sequence.of(gt), Sequence.of(tr), Evaluation.Options.defaults());
        assertThat(auto.frames().gtFramesOnly()).isTrue();
        assertThat(auto.frames().auto()).isTrue();
        assertThat(auto.frames().evaluated()).isEqualTo(2);
        assertThat(auto.frames().ignoredTrackerRows()).isEqualTo(9);
        assertThat(auto.frames().explain()).contains("ground-truth frames only", "fewer than the 11 the tracks span");
        assertThat(auto.clearMot().mota()).isEqualTo(1.0);
        assertThat(auto.identity().idf1()).isEqualTo(1.0);
        // every frame: the 9 rows on unlabelled frames are false positives, MOTA = 1 - 9/2
        EvalReport all = Evaluation.run(Sequence.of(gt), Sequence.of(tr),
                new Evaluation.Options(List.of(), List.of(), false, null));
        assertThat(all.frames().evaluated()).isEqualTo(11);
        assertThat(all.clearMot().numFalsePositives()).isEqualTo(9);
        assertThat(all.clearMot().mota()).isCloseTo(-3.5, within(1e-12));
        assertThat(all.identity().idf1()).isCloseTo(4.0 / 13, within(1e-12)); // 2*2 / (2 + 11)
    }

    @Test
    void denseGroundTruthScoresEveryFrame() {
        List<MotBox> gt = List.of(box(1, 1, 0, 0, 10, 10), box(2, 1, 0, 0, 10, 10));
        List<MotBox> tr = List.of(box(1, 3, 0, 0, 10, 10), box(2, 3, 0, 0, 10, 10));
        EvalReport r = Evaluation.run(Sequence.of(gt), Sequence.of(tr), Evaluation.Options.defaults());
        assertThat(r.frames().gtFramesOnly()).isFalse();
        assertThat(r.frames().evaluated()).isEqualTo(2);
    }

    @Test
    void maxFrameLeavesOutLaterFramesOfBothFiles() {
        List<MotBox> gt = List.of(box(1, 1, 0, 0, 10, 10), box(2, 1, 0, 0, 10, 10), box(3, 1, 0, 0, 10, 10));
        List<MotBox> tr = List.of(box(1, 3, 0, 0, 10, 10), box(2, 3, 0, 0, 10, 10));
        EvalReport r = Evaluation.run(Sequence.of(gt), Sequence.of(tr), new Evaluation.Options(List.of(), List.of(), null, 2));
        assertThat(r.clearMot().numObjects()).isEqualTo(2);
        assertThat(r.clearMot().mota()).isEqualTo(1.0);
    }

    @Test
    void badShapesAreRefusedWithTheOptionNamed() {
        Assertions.assertThatThrownBy(() -> ShapeSpecs.line("mid:1,2,3"))
                .hasMessageContaining("--line mid:1,2,3: expected NAME:x1,y1,x2,y2");
        Assertions.assertThatThrownBy(() -> ShapeSpecs.zone("z:0,0,1,x,2,2"))
                .hasMessageContaining("'x' is not a number");
    }
}
