package io.argus.agent.record;

import io.argus.cluster.CoordinatorEndpoint;
import io.argus.protocol.v1.EventAck;
import io.argus.protocol.v1.EventBatch;
import io.argus.protocol.v1.HeldCheckpoint;
import io.argus.protocol.v1.StreamTotals;
import com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What an agent tells its clients is stored comes from what the coordinator says it holds when it
 * acknowledges a checkpoint, not from the checkpoint it sent: an acknowledged batch's checkpoint
 * may have been dropped (an ownership epoch the stream has left) or ranked below the stored one.
 */
class OutboxTest {
    static StreamTotals checkpoint(String stream, long run, long epoch, long seq) {
        return StreamTotals.newBuilder().setStreamId(stream).setState(ByteString.copyFromUtf8("state"))
                .setRun(run).setEpoch(epoch).setLastSequence(seq).setHasLastSequence(true).build();
    }

    static HeldCheckpoint held(String stream, long run, long epoch, long seq) {
        return HeldCheckpoint.newBuilder().setStreamId(stream).setHeld(true).setRun(run).setEpoch(epoch)
                .setLastSequence(seq).setHasLastSequence(true).build();
    }

    static EventBatch send(Outbox o, long batchId, StreamTotals t) {
        o.checkpoints.put(t.getStreamId(), t);
        return o.next(batchId, 100, 0);
    }

    @Test
    void heldIsWhatTheCoordinatorSaysItHoldsNotWhatWasSent() {
        Outbox o = new Outbox(new CoordinatorEndpoint("c1", "127.0.0.1", 1, 2));
        send(o, 1, checkpoint("cam", 7, 5, 29));
        assertThat(o.acknowledge(EventAck.newBuilder().setBatchId(1).addCheckpoints(held("cam", 7, 5, 29)).build())).isZero();
        assertThat(o.held.get("cam")).isEqualTo(new Outbox.Held(7, 29));

        // taken under epoch 0 (no assignment named this agent): acknowledged, not kept
        send(o, 2, checkpoint("cam", 7, 0, 59));
        o.acknowledge(EventAck.newBuilder().setBatchId(2).addCheckpoints(held("cam", 7, 5, 29)).build());
        assertThat(o.held.get("cam")).isEqualTo(new Outbox.Held(7, 29));

        // an answer to a batch sent again since changes nothing
        send(o, 3, checkpoint("cam", 7, 5, 69));
        assertThat(o.acknowledge(EventAck.newBuilder().setBatchId(2).addCheckpoints(held("cam", 7, 5, 69)).build()))
                .isEqualTo(-1);
        assertThat(o.held.get("cam")).isEqualTo(new Outbox.Held(7, 29));
        o.acknowledge(EventAck.newBuilder().setBatchId(3).addCheckpoints(held("cam", 7, 5, 69)).build());
        assertThat(o.held.get("cam")).isEqualTo(new Outbox.Held(7, 69));
    }

    @Test
    void aStreamTheAcknowledgementDoesNotNameHoldsNothing() {
        Outbox o = new Outbox(new CoordinatorEndpoint("c1", "127.0.0.1", 1, 2));
        send(o, 1, checkpoint("cam", 7, 5, 29));
        o.acknowledge(EventAck.newBuilder().setBatchId(1).addCheckpoints(held("cam", 7, 5, 29)).build());
        // a coordinator that does not say what it holds, or says it holds none
        send(o, 2, checkpoint("cam", 7, 5, 39));
        o.acknowledge(EventAck.newBuilder().setBatchId(2).build());
        assertThat(o.held).doesNotContainKey("cam");
        send(o, 3, checkpoint("cam", 7, 5, 49));
        o.acknowledge(EventAck.newBuilder().setBatchId(3)
                .addCheckpoints(HeldCheckpoint.newBuilder().setStreamId("cam").setHeld(false)).build());
        assertThat(o.held).doesNotContainKey("cam");
    }
}
