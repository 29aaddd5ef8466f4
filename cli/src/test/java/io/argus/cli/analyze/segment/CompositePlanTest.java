package io.argus.cli.analyze.segment;

import io.argus.media.segment.Segment;
import io.argus.media.segment.SegmentConfig;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link CompositePlan} on frame times of the kinds a composite meets: a 10 fps camera, a 5 fps one
 * that ends after 4 s, and one that starts 6 s late. The property that makes a segment compose as
 * the serial run does: at every frame it owns, it has seen each source's latest picture, the one the
 * serial run has seen, and the same latest time.
 */
class CompositePlanTest {

    private static long[] times(int frames, double fps) {
        return LongStream.range(0, frames).map(i -> Math.round(i * 1e6 / fps)).toArray();
    }

    private static final SegmentConfig TWO_SECONDS = SegmentConfig.builder().warmUpSeconds(2).build();

    @Test
    void theSerialOrderIsByTimeWithTiesToTheEarlierSource() {
        CompositePlan plan = CompositePlan.plan(List.of(times(100, 10), times(20, 5)), new long[2], TWO_SECONDS, 1);
        assertThat(plan.frames()).isEqualTo(120);
        // 0 s: both, the first source first; 0.1 s: the first; 0.2 s: both again
        assertThat(List.of(plan.source(0), plan.source(1), plan.source(2), plan.source(3), plan.source(4)))
                .containsExactly(0, 1, 0, 0, 1);
        assertThat(plan.frame(4)).isEqualTo(1);
        assertThat(plan.joinOrder()).containsExactly(0, 1);
        assertThat(plan.cuts()).hasSize(1);
        assertThat(plan.cuts().get(0).warmUpFrames()).isZero();
    }

    @Test
    void everyOwnedFrameSeesTheSerialRunsLatestPictureOfEverySource() {
        List<long[]> t = List.of(times(100, 10), times(20, 5), times(30, 10));
        long[] offsets = {0, 0, 6_000_000}; // the third camera starts 6 s into the first's
        CompositePlan plan = CompositePlan.plan(t, offsets, TWO_SECONDS, 3);
        List<Segment> segs = plan.segments();
        assertThat(segs).hasSize(3);
        assertThat(segs.get(0).start()).isZero();
        for (int k = 1; k < segs.size(); k++) {
            assertThat(segs.get(k).start()).isEqualTo(segs.get(k - 1).end());
        }
        assertThat(segs.get(2).end()).isEqualTo(150);
        // the third camera joins last, after the second has ended
        assertThat(plan.joinOrder()).containsExactly(0, 1, 2);

        Map<Integer, Integer> serialLatest = new HashMap<>();
        List<Map<Integer, Integer>> serialAt = new ArrayList<>();
        for (int p = 0; p < plan.frames(); p++) {
            serialLatest.put(plan.source(p), plan.frame(p));
            serialAt.add(new HashMap<>(serialLatest));
        }
        for (CompositePlan.Cut c : plan.cuts()) {
            Segment s = c.segment();
            Map<Integer, Integer> latest = new HashMap<>();
            long sent = 0;
            for (long p = s.warmUpStart(); p < s.end(); p++) {
                if (plan.frame(p) < c.firstFrame(plan.source(p))) {
                    continue;
                }
                sent += p < s.start() ? 1 : 0;
                latest.put(plan.source(p), plan.frame(p));
                if (s.owns(p)) {
                    assertThat(latest).as("segment %d, frame %d", s.index(), p).isEqualTo(serialAt.get((int) p));
                }
            }
            assertThat(sent).as("segment %d's warm-up", s.index()).isEqualTo(c.warmUpFrames());
        }
        // the second camera ended at 3.8 s: the last segment still sends its last picture, and nothing else of it
        CompositePlan.Cut last = plan.cuts().get(2);
        assertThat(last.firstFrame(1)).isEqualTo(19);
        // the first camera sends 2 s of warm-up (20 frames at 10 fps) and no more
        long firstOfLast = last.segment().start();
        long firstCamBefore = LongStream.range(last.segment().warmUpStart(), firstOfLast)
                .filter(p -> plan.source(p) == 0 && plan.frame(p) >= last.firstFrame(0)).count();
        assertThat(firstCamBefore).isBetween(20L, 21L);
    }

    @Test
    void moreFramesThanAPlanHoldsAreRefusedBeforeAnyIsSent() {
        long[] big = new long[CompositePlan.MAX_FRAMES / 2 + 1];
        assertThatThrownBy(() -> CompositePlan.plan(List.of(big, big), new long[2], TWO_SECONDS, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most " + CompositePlan.MAX_FRAMES);
    }

    @Test
    void moreFilesThanAPlanComposesAreRefused() {
        assertThatThrownBy(() -> CompositePlan.checkSize(java.util.Collections.nCopies(CompositePlan.MAX_SOURCES + 1, times(1, 1))))
                .hasMessageContaining("at most " + CompositePlan.MAX_SOURCES + " files");
    }
}
