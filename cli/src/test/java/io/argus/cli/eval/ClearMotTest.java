package io.argus.cli.eval;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** CLEAR-MOT and identity measures on hand-computed sequences (py-motmetrics semantics). */
class ClearMotTest {

    static MotBox box(int frame, long id, double x, double y, double w, double h) {
        return new MotBox(frame, id, x, y, w, h, 1);
    }

    /**
     * Two people 100 px apart, 10x10 boxes, frames 1-5: 10 ground-truth boxes.
     * Tracker: id 11 follows person 1 (frame 1 shifted 2 px: IoU 80/120 = 2/3); person 2 is id 21
     * on frames 1-2, then id 22 on frames 3 and 5 (frame 4 missed); id 99 is a false alarm on
     * frames 2 and 4. 11 tracker boxes.
     */
    static EvalReport twoPeople() {
        List<MotBox> gt = new ArrayList<>();
        List<MotBox> tr = new ArrayList<>();
        for (int f = 1; f <= 5; f++) {
            gt.add(box(f, 1, 0, 0, 10, 10));
            gt.add(box(f, 2, 100, 0, 10, 10));
            tr.add(box(f, 11, f == 1 ? 2 : 0, 0, 10, 10));
        }
        tr.add(box(1, 21, 100, 0, 10, 10));
        tr.add(box(2, 21, 100, 0, 10, 10));
        tr.add(box(3, 22, 100, 0, 10, 10));
        tr.add(box(5, 22, 100, 0, 10, 10));
        tr.add(box(2, 99, 300, 0, 10, 10));
        tr.add(box(4, 99, 300, 0, 10, 10));
        return Evaluation.run(Sequence.of(gt), Sequence.of(tr), Evaluation.Options.defaults());
    }

    @Test
    void oneFalseAlarmTrackOneMissOneSwitch() {
        ClearMotResult m = twoPeople().clearMot();
        // person 1: 5 MATCH. Person 2: MATCH 21, MATCH 21, SWITCH to 22 (it was last matched to 21),
        // MISS, MATCH 22 (kept). FP: id 99 twice.
        assertThat(m.numObjects()).isEqualTo(10);
        assertThat(m.numHypotheses()).isEqualTo(11);
        assertThat(m.numMatches()).isEqualTo(8);
        assertThat(m.numSwitches()).isEqualTo(1);
        assertThat(m.numMisses()).isEqualTo(1);
        assertThat(m.numFalsePositives()).isEqualTo(2);
        // MOTA = 1 - (FN 1 + FP 2 + IDSW 1) / 10 = 0.6
        assertThat(m.mota()).isCloseTo(0.6, within(1e-12));
        // 9 matched pairs: 8 with IoU 1 and one with 2/3 -> mean (8 + 2/3) / 9 = 26/27
        assertThat(m.motpIou()).isCloseTo(26.0 / 27, within(1e-12));
        assertThat(m.motpDistance()).isCloseTo(1.0 / 27, within(1e-12));
        assertThat(m.precision()).isCloseTo(9.0 / 11, within(1e-12));
        assertThat(m.recall()).isCloseTo(0.9, within(1e-12));
        // person 1 matched 5/5, person 2 4/5 = 0.8: both mostly tracked (ratio >= 0.8)
        assertThat(m.mostlyTracked()).isEqualTo(2);
        assertThat(m.mostlyLost()).isZero();
    }

    @Test
    void identityMeasuresMatchTrajectoriesOneToOne() {
        IdentityResult id = twoPeople().identity();
        // pairs with IoU >= 0.5: (1,11) on 5 frames, (2,21) on 2, (2,22) on 2; one-to-one best:
        // 1-11 and 2-21 (or 2-22): IDTP = 7
        assertThat(id.idtp()).isEqualTo(7);
        assertThat(id.idfn()).isEqualTo(3);   // 10 - 7
        assertThat(id.idfp()).isEqualTo(4);   // 11 - 7
        assertThat(id.idf1()).isCloseTo(14.0 / 21, within(1e-12)); // 2*7 / (10 + 11)
        assertThat(id.idp()).isCloseTo(7.0 / 11, within(1e-12));
        assertThat(id.idr()).isCloseTo(0.7, within(1e-12));
    }

    /**
     * py-motmetrics' rule: a previous correspondence that may still pair is kept, even when another
     * hypothesis overlaps better. Person 1 is the box (0,0,100,100).
     * Frame 1: id 5 exact (IoU 1). Frame 2: id 5 is (0,0,55,100), IoU 0.55, and id 6 is
     * (0,0,90,100), IoU 0.9: id 5 is KEPT (a Hungarian on this frame alone would take id 6, at
     * distance 0.1 against 0.45), id 6 is a false positive. Frame 3: only id 6 (IoU 0.9): a switch.
     */
    @Test
    void aPreviousMatchStillOverlappingIsKeptOverABetterHypothesis() {
        List<MotBox> gt = List.of(box(1, 1, 0, 0, 100, 100), box(2, 1, 0, 0, 100, 100), box(3, 1, 0, 0, 100, 100));
        List<MotBox> tr = List.of(box(1, 5, 0, 0, 100, 100),
                box(2, 6, 0, 0, 90, 100), box(2, 5, 0, 0, 55, 100),
                box(3, 6, 0, 0, 90, 100));
        EvalReport r = Evaluation.run(Sequence.of(gt), Sequence.of(tr), Evaluation.Options.defaults());
        ClearMotResult m = r.clearMot();
        assertThat(m.numMatches()).isEqualTo(2);
        assertThat(m.numSwitches()).as("the switch comes on frame 3, not frame 2").isEqualTo(1);
        assertThat(m.numFalsePositives()).isEqualTo(1);
        assertThat(m.numMisses()).isZero();
        // matched IoUs 1, 0.55 (kept, not 0.9), 0.9
        assertThat(m.sumIou()).isCloseTo(2.45, within(1e-12));
        // MOTA = 1 - (0 + 1 + 1) / 3
        assertThat(m.mota()).isCloseTo(1.0 / 3, within(1e-12));
        // IDTP: (1,5) on frames 1-2, (1,6) on frames 2-3: 2; IDF1 = 4 / (3 + 4)
        assertThat(r.identity().idtp()).isEqualTo(2);
        assertThat(r.identity().idf1()).isCloseTo(4.0 / 7, within(1e-12));
        assertThat(r.identity().idp()).isCloseTo(0.5, within(1e-12));
        assertThat(r.identity().idr()).isCloseTo(2.0 / 3, within(1e-12));
    }

    @Test
    void aPreviousMatchBelowHalfIouIsNotKept() {
        // frame 2: id 5 drops to IoU 0.45 (no pair), id 6 has 0.9: a switch to 6, id 5 a false positive
        ClearMot mot = new ClearMot();
        mot.update(new long[]{1}, new long[]{5}, new double[][]{{1.0}});
        mot.update(new long[]{1}, new long[]{5, 6}, new double[][]{{0.45, 0.9}});
        ClearMotResult m = mot.result();
        assertThat(m.numMatches()).isEqualTo(1);
        assertThat(m.numSwitches()).isEqualTo(1);
        assertThat(m.numFalsePositives()).isEqualTo(1);
    }

    @Test
    void theAssignmentMaximisesPairsBeforeMinimisingDistance() {
        // greedy would pair (1,a) at IoU 0.9 and leave person 2 missed; py-motmetrics' solver pairs
        // (1,b) 0.6 and (2,a) 0.6: two matches, no miss
        ClearMot mot = new ClearMot();
        mot.update(new long[]{1, 2}, new long[]{10, 20}, new double[][]{{0.9, 0.6}, {0.6, 0.0}});
        ClearMotResult m = mot.result();
        assertThat(m.numMatches()).isEqualTo(2);
        assertThat(m.numMisses()).isZero();
        assertThat(m.numFalsePositives()).isZero();
        assertThat(m.sumIou()).isCloseTo(1.2, within(1e-12));
    }

    @Test
    void exactlyHalfIouPairsAndJustBelowDoesNot() {
        // (0,0,10,10) against (0,0,5,10): IoU exactly 0.5, distance 0.5 <= max_iou
        assertThat(ClearMot.pairs(box(1, 1, 0, 0, 10, 10).iou(box(1, 2, 0, 0, 5, 10)))).isTrue();
        assertThat(ClearMot.pairs(box(1, 1, 0, 0, 10, 10).iou(box(1, 2, 0, 0, 4.9, 10)))).isFalse();
        assertThat(box(1, 1, 0, 0, 10, 10).iou(box(1, 2, 20, 0, 10, 10))).isZero();
    }

    @Test
    void noTracksAtAllIsMotaZeroAndNoIdentity() {
        List<MotBox> gt = List.of(box(1, 1, 0, 0, 10, 10), box(2, 1, 0, 0, 10, 10));
        EvalReport r = Evaluation.run(Sequence.of(gt), Sequence.of(List.of()), Evaluation.Options.defaults());
        assertThat(r.clearMot().numMisses()).isEqualTo(2);
        assertThat(r.clearMot().mota()).isZero();
        assertThat(r.clearMot().motpIou()).isNaN();
        assertThat(r.identity().idf1()).isZero();
        assertThat(r.toJson().at("/clear_mot/motp_iou").isNull()).isTrue();
    }
}
