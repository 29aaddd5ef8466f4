package io.argus.app.console.model;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * Rate-limits the pop-up notifications: at most {@link #MAX_SHOWN} in any {@link #WINDOW_MS}, and
 * none while a modal dialog is open (a notification must never cover the dialog's buttons). What
 * is held back is not lost: it is in the Alerts tab, and the next notification that may be shown
 * says how many were held back. Pure (the caller gives the time), so it is tested without timing.
 */
public final class NotificationGate {
    public static final int MAX_SHOWN = 3;
    public static final long WINDOW_MS = 10_000;

    /** What to show: a change, and how many held back before it (0: none). */
    public record Decision(AlertChange change, int heldBack) {
        public String text() {
            return change.alert().message()
                    + (heldBack == 0 ? "" : "\n+ " + heldBack + " more alert change(s): see the Alerts tab");
        }
    }

    private final Deque<Long> shownAt = new ArrayDeque<>();
    private int heldBack;

    /**
     * Offers a change at {@code nowMs}; returns what to show now, or empty when it is held back
     * (too many shown recently, or {@code dialogOpen}).
     */
    public Optional<Decision> offer(AlertChange c, long nowMs, boolean dialogOpen) {
        while (!shownAt.isEmpty() && nowMs - shownAt.peekFirst() >= WINDOW_MS) {
            shownAt.removeFirst();
        }
        if (dialogOpen || shownAt.size() >= MAX_SHOWN) {
            heldBack++;
            return Optional.empty();
        }
        shownAt.addLast(nowMs);
        Decision d = new Decision(c, heldBack);
        heldBack = 0;
        return Optional.of(d);
    }

    /**
     * Once the gate allows it again (the window passed, the dialog closed), how many changes were
     * held back and never announced; empty when none were or it is still too early.
     */
    public Optional<Integer> heldBackSummary(long nowMs, boolean dialogOpen) {
        while (!shownAt.isEmpty() && nowMs - shownAt.peekFirst() >= WINDOW_MS) {
            shownAt.removeFirst();
        }
        if (heldBack == 0 || dialogOpen || shownAt.size() >= MAX_SHOWN) {
            return Optional.empty();
        }
        shownAt.addLast(nowMs);
        int n = heldBack;
        heldBack = 0;
        return Optional.of(n);
    }

    /** Changes held back since the last one shown. */
    public int heldBack() {
        return heldBack;
    }
}
