package io.argus.client;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Degradation of a live source while its agent sheds load: only every {@code stride}-th offered
 * frame is sent. The frame rate is lowered, not the resolution, because lines and zones are drawn
 * in the source's pixel coordinates and a smaller frame would move them. The stride doubles (up to
 * {@link ThinningConfig#maxStride()}) at most once per {@link ThinningConfig#degradeStepMs()} while
 * the agent sheds, and halves after {@link ThinningConfig#recoverMs()} without shedding. Recordings
 * are never thinned.
 *
 * <p>A frame that is not sent is dropped before it gets a sequence number; the next frame sent
 * carries the gap ({@link #takeGap}): how many frames were dropped and how much capture time they
 * spanned. Thread-safe: the source's thread offers and takes gaps, the control thread reports
 * shedding.
 */
final class LiveThinning {
    private final int maxStride;
    private final long degradeStepNanos;
    private final long recoverNanos;

    /** Frames dropped before the one about to be sent, and the capture time since the last sent one. */
    record Gap(int frames, long us) {
        static final Gap NONE = new Gap(0, 0);
    }

    private final LongSupplier clock;
    private int stride = 1;
    private long strideChangedAt;
    private long lastShedAt = Long.MIN_VALUE / 2;
    private long offered;
    private long thinned;
    private int pendingGap;
    private long lastSentCaptureUs = -1;
    private long gapTotal;

    LiveThinning(LongSupplier clock, ThinningConfig config) {
        this.clock = clock;
        this.maxStride = config.maxStride();
        this.degradeStepNanos = TimeUnit.MILLISECONDS.toNanos(config.degradeStepMs());
        this.recoverNanos = TimeUnit.MILLISECONDS.toNanos(config.recoverMs());
        this.strideChangedAt = clock.getAsLong();
    }

    /** Whether this offered frame is sent at the current stride; a frame not sent is counted as a gap. */
    synchronized boolean admit() {
        if (stride > 1 && (offered++ % stride) != 0) {
            thinned++;
            pendingGap++;
            return false;
        }
        return true;
    }

    /** A frame admitted but not sent after all (no room in the window): part of the next gap too. */
    synchronized void dropped() {
        pendingGap++;
    }

    /** For the frame about to be sent: the gap before it, which is then cleared. */
    synchronized Gap takeGap(long captureUs) {
        Gap g = pendingGap == 0 ? Gap.NONE
                : new Gap(pendingGap, lastSentCaptureUs < 0 ? 0 : Math.max(0, captureUs - lastSentCaptureUs));
        gapTotal += pendingGap;
        pendingGap = 0;
        lastSentCaptureUs = captureUs;
        return g;
    }

    /** The agent shed a frame or says it is shedding. Returns true when the stride grew. */
    synchronized boolean onShed() {
        long now = clock.getAsLong();
        lastShedAt = now;
        if (stride < maxStride && now - strideChangedAt >= degradeStepNanos) {
            stride *= 2;
            strideChangedAt = now;
            return true;
        }
        return false;
    }

    /** A result from an agent that is not shedding. Returns true when the stride shrank. */
    synchronized boolean onHealthy() {
        long now = clock.getAsLong();
        if (stride > 1 && now - lastShedAt >= recoverNanos && now - strideChangedAt >= recoverNanos) {
            stride /= 2;
            strideChangedAt = now;
            return true;
        }
        return false;
    }

    synchronized int stride() {
        return stride;
    }

    /** Frames not sent because of the stride. */
    synchronized long thinned() {
        return thinned;
    }

    /** Frames reported to the agent as gaps so far (thinned, or no room when offered). */
    synchronized long gapFrames() {
        return gapTotal;
    }
}
