package io.argus.coordinator.ingest;

import io.argus.protocol.v1.Event;
import io.argus.protocol.v1.EventBatch;
import io.argus.protocol.v1.StreamTotals;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * Drops what an agent produced under an ownership epoch older than the stream's current
 * assignment: a process that was frozen (SIGSTOP, a long GC, a VM pause) and wakes up after its
 * streams moved must not overwrite its successor's checkpoint, nor add events the successor did
 * not decide. Epoch 0 means "no assignment known to the agent" and is let through: such events
 * are still idempotent by id, and a checkpoint without an epoch ranks below any with one.
 *
 * <p>Why dropping loses nothing: an agent sends a checkpoint only in a batch that also empties
 * its event outbox, so every event up to the checkpoint a new owner restored is stored already;
 * the new owner regenerates every event after it, with the same ids.
 */
public final class EpochFence {
    private final ToLongFunction<String> currentEpoch;

    /** @param currentEpoch per stream, the epoch of its current assignment (0 when it has none) */
    public EpochFence(ToLongFunction<String> currentEpoch) {
        this.currentEpoch = currentEpoch;
    }

    /** What of a batch may be stored, and how much was fenced off. */
    public record Admitted(List<Event> events, List<StreamTotals> totals, int fencedEvents, int fencedTotals) {
    }

    public Admitted admit(EventBatch batch) {
        List<Event> events = new ArrayList<>(batch.getEventsCount());
        int fencedEvents = 0;
        for (Event e : batch.getEventsList()) {
            // a replay segment's events are named for the recording and fenced by the segment's assignment
            if (stale(e.getEpochStreamId().isEmpty() ? e.getStreamId() : e.getEpochStreamId(), e.getEpoch())) {
                fencedEvents++;
            } else {
                events.add(e);
            }
        }
        List<StreamTotals> totals = new ArrayList<>(batch.getTotalsCount());
        int fencedTotals = 0;
        for (StreamTotals t : batch.getTotalsList()) {
            if (stale(t.getStreamId(), t.getEpoch())) {
                fencedTotals++;
            } else {
                totals.add(t);
            }
        }
        return new Admitted(events, totals, fencedEvents, fencedTotals);
    }

    /** Produced under an epoch the stream has since left. */
    public boolean stale(String stream, long epoch) {
        return epoch > 0 && epoch < currentEpoch.applyAsLong(stream);
    }
}
