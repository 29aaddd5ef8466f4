package io.argus.media.segment;

import io.argus.testing.LongerFootage;
import io.argus.testing.TestAssets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SegmentPlanTest {

    /** What every plan must be: contiguous, at keyframes, warm-ups inside the file and decodable. */
    private static void assertWellFormed(List<Segment> plan, KeyframeIndex index, SegmentConfig cfg) {
        assertThat(plan.get(0).start()).isZero();
        assertThat(plan.get(plan.size() - 1).end()).isEqualTo(index.frames());
        long warm = Math.round(cfg.warmUpSeconds() * index.frameRate());
        for (int i = 0; i < plan.size(); i++) {
            Segment s = plan.get(i);
            assertThat(s.index()).isEqualTo(i);
            assertThat(index.keyframes()).contains(s.start(), s.seekFrame());
            assertThat(s.warmUpStart()).isEqualTo(Math.max(0, s.start() - warm));
            assertThat(s.seekFrame()).isLessThanOrEqualTo(s.warmUpStart());
            if (i > 0) {
                assertThat(s.start()).isEqualTo(plan.get(i - 1).end());
            }
        }
    }

    @Test
    void threeWorkersOnTheSampleClipGetThreeSegmentsCutAtKeyframes() throws Exception {
        KeyframeIndex index = KeyframeIndex.read(TestAssets.vtest().toString());
        SegmentConfig cfg = SegmentConfig.DEFAULT;
        List<Segment> plan = SegmentPlan.plan(index, cfg, 3);
        assertWellFormed(plan, index, cfg);
        assertThat(plan).hasSize(3);
        // each cut is the keyframe nearest to a third of the clip
        double third = index.frames() / 3.0;
        for (int k = 1; k < 3; k++) {
            long start = plan.get(k).start();
            double target = k * third;
            assertThat(index.keyframes()).allSatisfy(key -> assertThat(Math.abs(key - target))
                    .isGreaterThanOrEqualTo(Math.abs(start - target)));
        }
        assertThat(plan.get(1).warmUpFrames()).isEqualTo(Math.round(cfg.warmUpSeconds() * index.frameRate()));
    }

    @Test
    void oneWorkerKeepsTheWholeFileInOneSegmentWhenItIsShorterThanTheSetting() throws Exception {
        KeyframeIndex index = KeyframeIndex.read(TestAssets.vtest().toString());
        List<Segment> plan = SegmentPlan.plan(index, SegmentConfig.builder().segmentSeconds(600).build(), 1);
        assertThat(plan).containsExactly(new Segment(0, 0, 0, 0, index.frames()));
    }

    @Test
    void theSegmentLengthSettingCutsALongerFile(@TempDir Path dir) throws Exception {
        KeyframeIndex index = KeyframeIndex.read(LongerFootage.vtestTwice(dir).toString());
        SegmentConfig cfg = SegmentConfig.builder().segmentSeconds(30).warmUpSeconds(5).build();
        List<Segment> plan = SegmentPlan.plan(index, cfg, 1);
        assertWellFormed(plan, index, cfg);
        // 159 s of footage in 30 s pieces, keyframes every 25 s or closer: five or six segments, none
        // longer than the target and the widest gap between keyframes
        assertThat(plan.size()).isBetween(5, 6);
        assertThat(plan).allSatisfy(s -> assertThat(s.end() - s.start()).isLessThanOrEqualTo(Math.round(55 * index.frameRate())));
    }

    @Test
    void aFileIsCutIntoEqualSegmentsAMultipleOfTheWorkersNoneLongerThanTheSetting() {
        // 636 s at 10 fps, a keyframe every second: the cuts fall exactly where the rule puts them
        List<Long> keys = new java.util.ArrayList<>();
        for (long f = 0; f < 6360; f += 10) {
            keys.add(f);
        }
        KeyframeIndex index = new KeyframeIndex(6360, 10, keys);
        // the default 600 s: one segment per worker, each 318 s (a last 36 s segment would idle a worker)
        assertThat(starts(SegmentPlan.plan(index, SegmentConfig.DEFAULT, 2))).containsExactly(0L, 3180L);
        assertThat(starts(SegmentPlan.plan(index, SegmentConfig.DEFAULT, 4))).containsExactly(0L, 1590L, 3180L, 4770L);
        // one worker: 636 s is longer than 600 s, so two segments of 318 s, not 600 s and 36 s
        assertThat(starts(SegmentPlan.plan(index, SegmentConfig.DEFAULT, 1))).containsExactly(0L, 3180L);
        // 100 s at most, 3 workers: 7 segments would do, 9 are taken so that each worker has 3 of 70.7 s
        List<Segment> nine = SegmentPlan.plan(index, SegmentConfig.builder().segmentSeconds(100).build(), 3);
        assertThat(nine).hasSize(9);
        assertThat(nine).allSatisfy(g -> assertThat(g.end() - g.start()).isBetween(700L, 710L));
    }

    @Test
    void aCountThatDoesNotDivideTheFileLeavesNoSliverAtTheEnd() {
        // 16,384 frames in 49 segments: (16384 / 49) * 49 is just under 16384 in doubles, which made a
        // 50th segment of a few frames where every frame is a keyframe
        List<Long> every = new java.util.ArrayList<>();
        for (long f = 0; f < 16_384; f++) {
            every.add(f);
        }
        KeyframeIndex index = new KeyframeIndex(16_384, 25, every);
        List<Segment> plan = SegmentPlan.plan(index, SegmentConfig.builder().segmentSeconds(15).build(), 7);
        assertThat(plan).hasSize(49);
        assertThat(plan).allSatisfy(g -> assertThat(g.end() - g.start()).isBetween(334L, 335L));
        // more workers than frames: one segment per frame, no empty one
        KeyframeIndex tiny = new KeyframeIndex(3, 10, List.of(0L, 1L, 2L));
        assertThat(starts(SegmentPlan.plan(tiny, SegmentConfig.DEFAULT, 8))).containsExactly(0L, 1L, 2L);
        assertThatThrownBy(() -> new KeyframeIndex(10, 10, List.of(0L, 5L, 5L))).isInstanceOf(IllegalArgumentException.class);
    }

    private static List<Long> starts(List<Segment> plan) {
        return plan.stream().map(Segment::start).toList();
    }

    @Test
    void keyframesSparserThanTheTargetMakeLongerSegmentsNotEmptyOnes() {
        KeyframeIndex index = new KeyframeIndex(1000, 10, List.of(0L, 500L));
        List<Segment> plan = SegmentPlan.plan(index, SegmentConfig.builder().segmentSeconds(5).warmUpSeconds(2).build(), 1);
        assertThat(plan).containsExactly(new Segment(0, 0, 0, 0, 500), new Segment(1, 0, 480, 500, 1000));
    }

    @Test
    void settingsOutOfRangeAreRefused() {
        assertThatThrownBy(() -> SegmentConfig.builder().segmentSeconds(0.5).build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SegmentConfig.builder().warmUpSeconds(-1).build()).isInstanceOf(IllegalArgumentException.class);
        KeyframeIndex index = new KeyframeIndex(10, 10, List.of(0L));
        assertThatThrownBy(() -> SegmentPlan.plan(index, SegmentConfig.DEFAULT, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
