package io.argus.client;

import java.util.Collection;
import java.util.TreeMap;

/**
 * A sequenced stream's frames that were delivered but are not yet covered by a checkpoint the
 * coordinators confirmed (see {@link ReplayConfig}). After a failover they are sent again, in
 * order, from the restored checkpoint's next sequence. Bounded by frames and bytes; past either
 * bound the oldest are forgotten and counted ({@link #evicted()}): a failover that would need them
 * continues with an explicit gap. Confined to the client's control thread.
 */
final class ReplayBuffer {
    private final ReplayConfig config;
    private final TreeMap<Long, PendingFrame> frames = new TreeMap<>();
    private long bytes;
    private long confirmed = -1;
    private long evicted;
    private int peakFrames;
    private long peakBytes;

    ReplayBuffer(ReplayConfig config) {
        this.config = config;
    }

    /**
     * Keeps a delivered frame for replay. Returns false, and keeps nothing, when a confirmed
     * checkpoint already covers it or replay is off; the caller then releases it.
     *
     * <p>Whether it must still be sent is left as it is: a frame delivered from the answer of an
     * agent the stream has left (one draining after Goodbye) is still orphaned, since the agent
     * the stream reopened on from an earlier sequence has not applied it and waits for it.
     */
    boolean retain(PendingFrame p) {
        if (p.wire == null || p.seq <= confirmed || config.maxFrames() == 0) {
            return false;
        }
        p.delivered = true;
        p.bytes = p.wire.readableBytes();
        frames.put(p.seq, p);
        bytes += p.bytes;
        while (!frames.isEmpty() && (frames.size() > config.maxFrames() || bytes > config.maxBytes())) {
            forget(frames.pollFirstEntry().getValue());
            evicted++;
        }
        peakFrames = Math.max(peakFrames, frames.size());
        peakBytes = Math.max(peakBytes, bytes);
        return true;
    }

    /** The frames up to {@code seq} are in a stored checkpoint: no failover will need them again. */
    void confirm(long seq) {
        if (seq <= confirmed) {
            return;
        }
        confirmed = seq;
        while (!frames.isEmpty() && frames.firstKey() <= seq) {
            forget(frames.pollFirstEntry().getValue());
        }
    }

    /** Forgets the frames before {@code seq} (a restored checkpoint already holds their effects). */
    void dropBelow(long seq) {
        while (!frames.isEmpty() && frames.firstKey() < seq) {
            forget(frames.pollFirstEntry().getValue());
        }
    }

    /** Marks every frame held for sending again (a new owner replays them). */
    void resendAll() {
        for (PendingFrame p : frames.values()) {
            p.sentOn = null;
            p.orphaned = true;
        }
    }

    /**
     * Marks the held frame {@code seq} for sending again, unless it is already marked or on its
     * way. Returns whether it was held and now marked: an agent that waits for a frame this client
     * holds but will not send would otherwise refuse every later frame for ever.
     */
    boolean resend(long seq) {
        PendingFrame p = frames.get(seq);
        if (p == null || p.orphaned || p.sentOn != null) {
            return false;
        }
        p.orphaned = true;
        return true;
    }

    Collection<PendingFrame> frames() {
        return frames.values();
    }

    boolean isEmpty() {
        return frames.isEmpty();
    }

    /** The lowest sequence held; only when not empty. */
    long first() {
        return frames.firstKey();
    }

    long confirmed() {
        return confirmed;
    }

    long bytes() {
        return bytes;
    }

    int size() {
        return frames.size();
    }

    long evicted() {
        return evicted;
    }

    /** The most frames held at once. */
    int peakFrames() {
        return peakFrames;
    }

    /** The most bytes held at once. */
    long peakBytes() {
        return peakBytes;
    }

    void clear() {
        while (!frames.isEmpty()) {
            forget(frames.pollFirstEntry().getValue());
        }
    }

    private void forget(PendingFrame p) {
        bytes -= p.bytes;
        p.bytes = 0;
        p.release();
    }
}
