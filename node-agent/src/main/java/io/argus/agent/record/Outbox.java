package io.argus.agent.record;

import io.argus.cluster.CoordinatorEndpoint;
import io.argus.protocol.v1.Event;
import io.argus.protocol.v1.EventAck;
import io.argus.protocol.v1.EventBatch;
import io.argus.protocol.v1.HeldCheckpoint;
import io.argus.protocol.v1.StreamTotals;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What waits for one coordinator: its events, the newest checkpoint per stream, and the one batch
 * in flight until the coordinator acknowledges it (then the next goes out). No connection here
 * ({@link CoordinatorConnection}); touched on the {@link CoordinatorLink}'s publisher thread only,
 * but for {@link #held}, which frame answers read.
 */
final class Outbox {
    final CoordinatorEndpoint endpoint;
    final Deque<Event> events = new ArrayDeque<>();
    final Map<String, StreamTotals> checkpoints = new HashMap<>();
    /**
     * Per stream, the checkpoint this coordinator said it holds when it last acknowledged one of
     * this agent's: not necessarily the one sent (see {@link #acknowledge}).
     */
    final Map<String, Held> held = new ConcurrentHashMap<>();
    long inflightId = -1;
    List<Event> inflight = List.of();
    List<StreamTotals> inflightTotals = List.of();
    long sentAt;

    Outbox(CoordinatorEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    /**
     * A checkpoint a coordinator holds: its run, and the last sequence whose effects it holds.
     */
    record Held(long run, long lastSequence) {
    }

    /**
     * The coordinator acknowledged a batch: returns how many events it carried, or -1 when that is
     * not the batch in flight (an answer to a batch already sent again).
     *
     * <p>An acknowledgement says that the batch is stored, not that its checkpoints are: the
     * coordinator drops one of an ownership epoch the stream has left, and keeps a stored one that
     * ranks above it (newer run, newer epoch, higher sequence). So what is held afterwards is what
     * the acknowledgement names for each stream ({@code EventAck.checkpoints}); a stream it does
     * not name (a coordinator that does not say) counts as holding nothing.
     */
    int acknowledge(EventAck ack) {
        if (ack.getBatchId() != inflightId) {
            return -1;
        }
        int n = inflight.size();
        Map<String, HeldCheckpoint> said = new HashMap<>();
        for (HeldCheckpoint h : ack.getCheckpointsList()) {
            said.put(h.getStreamId(), h);
        }
        for (StreamTotals t : inflightTotals) {
            HeldCheckpoint h = said.get(t.getStreamId());
            if (h != null && h.getHeld() && h.getHasLastSequence()) {
                held.put(t.getStreamId(), new Held(h.getRun(), h.getLastSequence()));
            } else {
                held.remove(t.getStreamId());
            }
        }
        inflightId = -1;
        inflight = List.of();
        inflightTotals = List.of();
        return n;
    }

    /** Puts the batch in flight back in front of the queue, to be sent again. */
    void requeue() {
        if (inflightId < 0) {
            return;
        }
        List<Event> back = new ArrayList<>(inflight);
        for (int i = back.size() - 1; i >= 0; i--) {
            events.addFirst(back.get(i));
        }
        for (StreamTotals t : inflightTotals) {
            checkpoints.putIfAbsent(t.getStreamId(), t);
        }
        inflightId = -1;
        inflight = List.of();
        inflightTotals = List.of();
    }

    /** Something waits and no batch is in flight. */
    boolean ready() {
        return !(inflightId >= 0 || (events.isEmpty() && checkpoints.isEmpty()));
    }

    /** Takes the next batch of at most {@code max} events, and the checkpoints behind them, into flight. */
    EventBatch next(long batchId, int max, long now) {
        List<Event> batch = new ArrayList<>();
        while (batch.size() < max && !events.isEmpty()) {
            batch.add(events.pollFirst());
        }
        List<StreamTotals> totals = List.of();
        if (events.isEmpty()) {
            // only behind every event queued before it: a checkpoint's acknowledgement then
            // vouches for the events of the frames it covers as well
            totals = new ArrayList<>(checkpoints.values());
            checkpoints.clear();
        }
        inflightId = batchId;
        inflight = batch;
        inflightTotals = totals;
        sentAt = now;
        return EventBatch.newBuilder().setBatchId(inflightId).addAllEvents(batch).addAllTotals(totals).build();
    }

    /** Events waiting for acknowledgement. */
    int pending() {
        return events.size() + inflight.size();
    }
}
