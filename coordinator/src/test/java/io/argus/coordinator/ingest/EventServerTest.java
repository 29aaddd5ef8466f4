package io.argus.coordinator.ingest;

import io.argus.coordinator.store.JdbcEventStore;
import io.argus.protocol.auth.RoleTokens;
import io.argus.protocol.client.AgentConnection;
import io.argus.protocol.client.ClientOptions;
import io.argus.protocol.client.ConnectionListener;
import io.argus.protocol.net.Transport;
import io.argus.protocol.v1.Envelope;
import io.argus.protocol.v1.Event;
import io.argus.protocol.v1.EventAck;
import io.argus.protocol.v1.EventBatch;
import io.argus.protocol.v1.HeldCheckpoint;
import io.argus.protocol.v1.StreamTotals;
import com.google.protobuf.ByteString;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.EventLoopGroup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The event server over real sockets, with the real H2 store, as an agent's event link uses it. */
class EventServerTest {
    static Event watch(int i, String pattern) {
        return Event.newBuilder().setId("text:gate:watch:" + i).setType("watch").setStreamId("gate").setSourceIndex(i)
                .setTimeUs(1_000L * i).putAttributes("text", "AB 123").putAttributes("pattern", pattern).build();
    }

    /**
     * The incident: a batch holding one event whose attributes overflow the store's column was
     * never acknowledged, so the agent sent it again forever and every later event waited behind
     * it. Now the batch is acknowledged with that one event dead-lettered, and the next batch goes
     * through.
     */
    @Test
    void aBatchWithAnEventTheStoreCannotHoldIsAcknowledgedAndLaterBatchesFollow(@TempDir Path dir) throws Exception {
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        EventLoopGroup group = Transport.group(1);
        BlockingQueue<Long> acks = new LinkedBlockingQueue<>();
        try (JdbcEventStore store = JdbcEventStore.embedded(dir, metrics);
             EventServer server = new EventServer("127.0.0.1", 0, "c1", store, metrics, null, RoleTokens.of(List.of()),
                     peer -> { })) {
            AgentConnection agent = AgentConnection.connect(new InetSocketAddress("127.0.0.1", server.port()),
                    ClientOptions.builder(group).clientId("agent-1").build(), new ConnectionListener() {
                        @Override
                        public void onEventAck(AgentConnection c, long batchId) {
                            acks.add(batchId);
                        }
                    }).get(10, TimeUnit.SECONDS);
            try {
                EventBatch first = EventBatch.newBuilder().setBatchId(1).addEvents(watch(0, "AB"))
                        .addEvents(watch(1, "A".repeat(9_000))).addEvents(watch(2, "CD")).build();
                agent.write(Envelope.newBuilder().setEventBatch(first).build());
                assertThat(acks.poll(10, TimeUnit.SECONDS)).isEqualTo(1L);
                agent.write(Envelope.newBuilder().setEventBatch(EventBatch.newBuilder().setBatchId(2)
                        .addEvents(watch(3, "EF"))).build());
                assertThat(acks.poll(10, TimeUnit.SECONDS)).isEqualTo(2L);
                // the first batch again, as after a lost acknowledgement: acknowledged, nothing counted twice
                agent.write(Envelope.newBuilder().setEventBatch(first).build());
                assertThat(acks.poll(10, TimeUnit.SECONDS)).isEqualTo(1L);
                assertThat(store.eventCount()).isEqualTo(3);
                assertThat(store.deadLettered()).isEqualTo(1);
                assertThat(metrics.counter("argus.events.dead_lettered").count()).isEqualTo(1);
                assertThat(metrics.counter("argus.coordinator.events.stored").count()).isEqualTo(3);
            } finally {
                agent.close();
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
        }
    }

    static StreamTotals checkpoint(long run, long epoch, long seq) {
        return StreamTotals.newBuilder().setStreamId("cam").setState(ByteString.copyFromUtf8("state at " + seq))
                .setRun(run).setEpoch(epoch).setLastSequence(seq).setHasLastSequence(true).setTimeUs(seq).build();
    }

    /**
     * An acknowledgement says which checkpoint the coordinator holds, not that the batch's own was
     * kept: one taken under epoch 0 (no assignment named its agent) ranks below the stored one of
     * the owner's epoch, and one of an epoch the stream has left is dropped. Agents tell clients
     * only what is held, so a client never forgets frames that the checkpoint it would be
     * restored from does not cover.
     */
    @Test
    void anAcknowledgementNamesTheCheckpointHeldNotTheOneSent(@TempDir Path dir) throws Exception {
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        EventLoopGroup group = Transport.group(1);
        BlockingQueue<EventAck> acks = new LinkedBlockingQueue<>();
        try (JdbcEventStore store = JdbcEventStore.embedded(dir, metrics);
             EventServer server = new EventServer("127.0.0.1", 0, "c1", store, metrics, null, RoleTokens.of(List.of()),
                     peer -> { }, new EpochFence(s -> 5L))) {
            AgentConnection agent = AgentConnection.connect(new InetSocketAddress("127.0.0.1", server.port()),
                    ClientOptions.builder(group).clientId("agent-1").build(), new ConnectionListener() {
                        @Override
                        public void onEventAck(AgentConnection c, EventAck ack) {
                            acks.add(ack);
                        }
                    }).get(10, TimeUnit.SECONDS);
            try {
                HeldCheckpoint owners = HeldCheckpoint.newBuilder().setStreamId("cam").setHeld(true).setRun(7).setEpoch(5)
                        .setLastSequence(29).setHasLastSequence(true).build();
                agent.write(Envelope.newBuilder().setEventBatch(EventBatch.newBuilder().setBatchId(1)
                        .addTotals(checkpoint(7, 5, 29))).build());
                assertThat(acks.poll(10, TimeUnit.SECONDS).getCheckpointsList()).containsExactly(owners);
                agent.write(Envelope.newBuilder().setEventBatch(EventBatch.newBuilder().setBatchId(2)
                        .addTotals(checkpoint(7, 0, 59))).build());
                EventAck second = acks.poll(10, TimeUnit.SECONDS);
                assertThat(second.getBatchId()).isEqualTo(2);
                assertThat(second.getCheckpointsList()).as("epoch 0 ranks below").containsExactly(owners);
                agent.write(Envelope.newBuilder().setEventBatch(EventBatch.newBuilder().setBatchId(3)
                        .addTotals(checkpoint(7, 4, 99))).build());
                assertThat(acks.poll(10, TimeUnit.SECONDS).getCheckpointsList()).as("fenced").containsExactly(owners);
                agent.write(Envelope.newBuilder().setEventBatch(EventBatch.newBuilder().setBatchId(4)
                        .addTotals(checkpoint(7, 5, 69))).build());
                assertThat(acks.poll(10, TimeUnit.SECONDS).getCheckpointsList()).containsExactly(owners.toBuilder()
                        .setLastSequence(69).build());
                // a batch without checkpoints names none
                agent.write(Envelope.newBuilder().setEventBatch(EventBatch.newBuilder().setBatchId(5)
                        .addEvents(watch(7, "GH"))).build());
                assertThat(acks.poll(10, TimeUnit.SECONDS).getCheckpointsList()).isEmpty();
            } finally {
                agent.close();
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
        }
    }
}
