package io.argus.app.console.model;

import io.argus.app.console.feed.FeedSnapshot;

import java.util.Locale;

/**
 * A stream's health as every view shows it (tile border and badge, Detail title, status bar). One
 * rule, {@link #of}, decides it from the feed's figures, the age of its last answered frame and
 * the state of its agent, so no two views can disagree.
 */
public enum StreamHealth {
    STARTING, LIVE, SHEDDING, DEGRADED, MOVING, STALLED, OFFLINE, ENDED;

    /** No answered frame for this long (while the feed has not yet declared the stream offline): stalled. */
    public static final long DEFAULT_STALL_AFTER_MS = 3_000;

    /** True if the stream's frames are being answered (maybe slowly, or shed): it is running. */
    public boolean running() {
        return this == LIVE || this == SHEDDING || this == DEGRADED;
    }

    /** The CSS pseudo-class and badge word. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The health of a stream.
     *
     * @param s           the feed's figures
     * @param frameAgeMs  age of the last answered frame, or -1 before the first
     * @param agentLost   true if the agent the stream was last answered by has left the cluster
     */
    public static StreamHealth of(FeedSnapshot s, long frameAgeMs, boolean agentLost) {
        // an ended or offline stream says so; a stream whose agent was lost is offline whatever its
        // last figures said; one without an answered frame for a while is stalled even while it is
        // moving or starting (a move that never completes must not look like progress)
        if ("ENDED".equals(s.status())) {
            return ENDED;
        }
        if ("OFFLINE".equals(s.status()) || agentLost) {
            return OFFLINE;
        }
        if (frameAgeMs > DEFAULT_STALL_AFTER_MS) {
            return STALLED;
        }
        if ("MOVING".equals(s.status())) {
            return MOVING;
        }
        if ("STARTING".equals(s.status())) {
            return STARTING;
        }
        if (s.shedding()) {
            return SHEDDING;
        }
        return "DEGRADED".equals(s.status()) ? DEGRADED : LIVE;
    }
}
