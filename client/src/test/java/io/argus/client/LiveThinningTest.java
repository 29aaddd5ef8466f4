package io.argus.client;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Live thinning on a fake clock: the stride's steps, and the gap each sent frame carries. */
class LiveThinningTest {
    final AtomicLong now = new AtomicLong(TimeUnit.SECONDS.toNanos(100));
    static final long STEP = TimeUnit.MILLISECONDS.toNanos(ThinningConfig.DEFAULT_DEGRADE_STEP_MS);
    static final long RECOVER = TimeUnit.MILLISECONDS.toNanos(ThinningConfig.DEFAULT_RECOVER_MS);
    static final int MAX_STRIDE = ThinningConfig.DEFAULT_MAX_STRIDE;
    final LiveThinning t = new LiveThinning(now::get, ThinningConfig.DEFAULT);

    @Test
    void everyFrameGoesWhileTheAgentKeepsUp() {
        for (int i = 0; i < 10; i++) {
            assertThat(t.admit()).isTrue();
            assertThat(t.takeGap(i * 40_000L)).isEqualTo(LiveThinning.Gap.NONE);
        }
        assertThat(t.gapFrames()).isZero();
    }

    @Test
    void theStrideDoublesAtMostOncePerStepAndHalvesAfterQuiet() {
        now.addAndGet(STEP);
        assertThat(t.onShed()).isTrue();
        assertThat(t.stride()).isEqualTo(2);
        assertThat(t.onShed()).isFalse(); // within the same step
        for (int k = 0; k < 5; k++) {
            now.addAndGet(STEP);
            t.onShed();
        }
        assertThat(t.stride()).isEqualTo(MAX_STRIDE);
        assertThat(t.onHealthy()).isFalse(); // shed just now
        now.addAndGet(RECOVER);
        assertThat(t.onHealthy()).isTrue();
        assertThat(t.stride()).isEqualTo(MAX_STRIDE / 2);
    }

    @Test
    void droppedFramesAreCarriedAsAGapByTheNextFrameSent() {
        now.addAndGet(STEP);
        t.onShed();
        now.addAndGet(STEP);
        t.onShed(); // 1 frame in 4
        long frameUs = 40_000;
        int sent = 0;
        for (int i = 0; i < 12; i++) {
            if (t.admit()) {
                LiveThinning.Gap g = t.takeGap(i * frameUs);
                if (sent > 0) {
                    // three frames dropped before each one sent; their time is the capture delta
                    assertThat(g.frames()).isEqualTo(3);
                    assertThat(g.us()).isEqualTo(4 * frameUs);
                }
                sent++;
            }
        }
        assertThat(sent).isEqualTo(3);
        assertThat(t.thinned()).isEqualTo(9);
        assertThat(t.gapFrames()).isEqualTo(6); // the last three are not carried yet
        // a frame admitted but with no room in the window is part of the next gap too
        t.dropped();
        assertThat(t.takeGap(100 * frameUs).frames()).isEqualTo(4);
    }

    @Test
    void theStrideStopsAtTheConfiguredMaximum() {
        LiveThinning two = new LiveThinning(now::get, ThinningConfig.builder().maxStride(2).build());
        for (int k = 0; k < 5; k++) {
            now.addAndGet(STEP);
            two.onShed();
        }
        assertThat(two.stride()).isEqualTo(2);
    }
}
