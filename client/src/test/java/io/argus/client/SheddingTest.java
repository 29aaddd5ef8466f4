package io.argus.client;

import io.argus.agent.AgentConfig;
import io.argus.agent.NodeAgent;
import io.argus.cluster.embedded.EmbeddedZooKeeper;
import io.argus.media.FrameSource;
import io.argus.media.Sources;
import io.argus.media.VideoFrame;
import io.argus.protocol.Envelopes;
import io.argus.protocol.v1.Image;
import io.argus.protocol.v1.TaskRequest;
import io.argus.testing.TestAssets;
import io.micrometer.core.instrument.Counter;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Agent-side adaptive shedding and client-side degradation, end to end over real sockets: the
 * agent's CPU reading is injected (overload cannot be produced on demand on a shared machine);
 * everything else is real. A live 25 fps stream must be thinned while the agent sheds, the shedding
 * must be visible in results and in the agent's metrics, and the stream must return to full rate
 * once the agent recovers.
 */
class SheddingTest {
    static volatile double cpu = 0.2;

    @Test
    void anOverloadedAgentShedsAndTheLiveStreamDegradesThenRecovers() throws Exception {
        try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start();
             NodeAgent agent = NodeAgent.start(AgentConfig.builder().agentId("shed-a").zkConnect(zk.connectString())
                     .bindHost("127.0.0.1").advertiseHost("127.0.0.1").workers(1).cpuSource(() -> cpu).build());
             ArgusClient client = ArgusClient.connect(zk.connectString(), "shedding-test")) {
            assertThat(client.awaitAgents(1, Duration.ofSeconds(10))).hasSize(1);
            List<Image> frames = new ArrayList<>();
            FrameEncoder enc = FrameEncoder.jpeg(80);
            try (FrameSource src = Sources.open(TestAssets.vtest().toString(), false)) {
                VideoFrame f;
                while ((f = src.next()) != null && frames.size() < 100) {
                    frames.add(enc.encode(f));
                }
            }
            List<StreamResult> results = new CopyOnWriteArrayList<>();
            StreamSpec spec = StreamSpec.builder("shed-cam")
                    .tasks(List.of(TaskRequest.newBuilder().setName("faces").build())).window(4).build();
            try (StreamSession s = client.open(spec, results::add)) {
                long[] n = {0};
                Runnable tick = () -> {
                    s.offer(n[0], Envelopes.nowMicros(), 0, frames.get((int) (n[0] % frames.size())), null);
                    n[0]++;
                };
                // healthy: 2 s at 25 fps, nothing shed
                runFor(tick, 2_000, () -> false);
                assertThat(s.frameStride()).isEqualTo(1);
                assertThat(shed(agent)).isZero();

                // overloaded machine: the agent sheds what is over its capacity, the client thins
                cpu = 1.0;
                // (results are delivered in order, so the flagged ones may trail the first refusal)
                runFor(tick, 15_000, () -> s.frameStride() >= 2
                        && results.stream().anyMatch(r -> r.ok() && r.result().getDegraded()));
                assertThat(s.frameStride()).as("live stream thinned while the agent sheds").isGreaterThanOrEqualTo(2);
                assertThat(shed(agent)).isPositive();
                assertThat(results).as("results processed while shedding say so")
                        .anyMatch(r -> r.ok() && r.result().getDegraded());

                // recovered: back to every frame
                cpu = 0.2;
                runFor(tick, 30_000, () -> s.frameStride() == 1);
                assertThat(s.frameStride()).as("full rate again after the agent recovers").isEqualTo(1);
                assertThat(s.thinnedFrames()).isPositive();
                int before = results.size();
                runFor(tick, 1_000, () -> false);
                assertThat(results.subList(before, results.size())).as("no shedding after recovery")
                        .allMatch(r -> r.ok() && !r.result().getDegraded());
            }
        } finally {
            cpu = 0.2;
        }
    }

    private static double shed(NodeAgent agent) {
        Counter c = agent.runtime().metrics().registry().find("argus.agent.rejected").tag("reason", "shed").counter();
        return c == null ? 0 : c.count();
    }

    /** Calls tick every 40 ms (a 25 fps camera) until done or the time is up. */
    private static void runFor(Runnable tick, long maxMs, BooleanSupplier done)
            throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxMs);
        while (System.nanoTime() < end && !done.getAsBoolean()) {
            tick.run();
            Thread.sleep(40);
        }
    }
}
