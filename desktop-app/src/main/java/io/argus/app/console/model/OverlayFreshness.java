package io.argus.app.console.model;

import io.argus.app.console.feed.FramePicture;

/**
 * Whether a picture's overlays may be drawn, and how: overlays must never describe a picture they
 * were not computed on. Pure, so the rule is tested without a screen.
 *
 * <ul>
 *   <li>Overlays of the very frame shown are {@link Verdict#CURRENT}, until the frame itself is
 *   older than {@link #DEFAULT_STALE_AFTER_MS} (the stream stalled on it): then {@link Verdict#STALE}.
 *   <li>Overlays of an earlier frame (the lowest-latency mode shows the newest frame with the newest
 *   result) are CURRENT while they lag the frame by at most {@link #DEFAULT_LIVE_LAG_MS} (what that
 *   mode trades for latency), STALE up to {@link #DEFAULT_STALE_AFTER_MS}, and then
 *   {@link Verdict#HIDDEN}: a stream whose results stopped shows its pictures without boxes.
 *   <li>Overlays of a later frame, or of no frame at all, are HIDDEN.
 * </ul>
 */
public final class OverlayFreshness {
    /** Lag of another frame's overlays still drawn as current in the lowest-latency mode. */
    public static final long DEFAULT_LIVE_LAG_MS = 300;
    /** Age after which overlays are faded and labelled "stale" (and another frame's are no longer drawn). */
    public static final long DEFAULT_STALE_AFTER_MS = 2_000;

    public enum Verdict { CURRENT, STALE, HIDDEN }

    private OverlayFreshness() {
    }

    /** The verdict for {@code p} shown at {@code nowUs} (epoch microseconds). */
    public static Verdict of(FramePicture p, long nowUs) {
        return of(p, nowUs, DEFAULT_LIVE_LAG_MS, DEFAULT_STALE_AFTER_MS);
    }

    static Verdict of(FramePicture p, long nowUs, long liveLagMs, long staleAfterMs) {
        if (p.overlayIndex() == FramePicture.NO_OVERLAYS || p.shapes().isEmpty()) {
            return Verdict.HIDDEN;
        }
        long frameAgeMs = (nowUs - p.captureUs()) / 1000;
        if (p.overlaysMatch()) {
            return frameAgeMs > staleAfterMs ? Verdict.STALE : Verdict.CURRENT;
        }
        long lagMs = (p.captureUs() - p.overlayCaptureUs()) / 1000;
        long overlayAgeMs = (nowUs - p.overlayCaptureUs()) / 1000;
        if (lagMs < 0 || overlayAgeMs > staleAfterMs) {
            return Verdict.HIDDEN;
        }
        return lagMs <= liveLagMs ? Verdict.CURRENT : Verdict.STALE;
    }
}
