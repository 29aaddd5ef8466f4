package io.argus.coordinator.ingest;

import io.argus.coordinator.store.JdbcEventStore;
import io.argus.protocol.auth.RoleTokens;
import io.argus.protocol.client.AgentConnection;
import io.argus.protocol.client.ClientOptions;
import io.argus.protocol.client.ConnectionListener;
import io.argus.protocol.net.Transport;
import io.argus.protocol.v1.Envelope;
import io.argus.protocol.v1.Event;
import io.argus.protocol.v1.EventBatch;
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
}
