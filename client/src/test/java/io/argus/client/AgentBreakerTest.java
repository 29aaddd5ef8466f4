package io.argus.client;

import io.argus.agent.AgentConfig;
import io.argus.agent.NodeAgent;
import io.argus.cluster.embedded.EmbeddedZooKeeper;
import io.argus.agent.task.TaskContext;
import io.argus.agent.task.VisionTask;
import io.argus.media.FrameSource;
import io.argus.media.Sources;
import io.argus.media.VideoFrame;
import io.argus.protocol.Envelopes;
import io.argus.protocol.v1.Code;
import io.argus.protocol.v1.TaskRequest;
import io.argus.protocol.v1.TaskResult;
import io.argus.testing.TestAssets;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The client's per-agent circuit breaker over real sockets: an agent whose task breaks on every
 * frame (a plug-in task that throws: a broken install cannot be produced otherwise) loses the
 * stream to a healthy agent, and the client does not go back to it while its breaker is open.
 */
class AgentBreakerTest {

    static VisionTask probe(boolean broken) {
        return new VisionTask() {
            @Override
            public String name() {
                return "probe";
            }

            @Override
            public TaskResult run(TaskContext ctx) {
                if (broken) {
                    throw new IllegalStateException("simulated broken install");
                }
                return TaskResult.newBuilder().setTask("probe").setStatus(Code.OK).build();
            }
        };
    }

    static NodeAgent agent(EmbeddedZooKeeper zk, String name, boolean broken) throws Exception {
        return NodeAgent.start(AgentConfig.builder().agentId(name).zkConnect(zk.connectString())
                .bindHost("127.0.0.1").advertiseHost("127.0.0.1").workers(1).build(), m -> List.of(probe(broken)));
    }

    @Test
    void aFailingAgentLosesTheStreamToAHealthyOne() throws Exception {
        try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start();
             NodeAgent bad = agent(zk, "brk-bad", true);
             ArgusClient client = ArgusClient.connect(zk.connectString(), "breaker-test")) {
            assertThat(client.awaitAgents(1, Duration.ofSeconds(10))).hasSize(1);
            FrameEncoder enc = FrameEncoder.jpeg(80);
            List<StreamResult> results = new CopyOnWriteArrayList<>();
            StreamSpec spec = StreamSpec.builder("brk-cam")
                    .tasks(List.of(TaskRequest.newBuilder().setName("probe").build())).window(2).build();
            try (StreamSession s = client.open(spec, results::add);
                 FrameSource src = Sources.open(TestAssets.vtest().toString(), false)) {
                // only the broken agent: frames fail (reported, never lost) until its breaker opens
                for (int i = 0; i < 10; i++) {
                    VideoFrame f = src.next();
                    s.submit(f.index(), Envelopes.nowMicros(), enc.encode(f), null);
                }
                await().atMost(Duration.ofSeconds(10)).until(() -> results.size() >= 5);
                assertThat(results).allMatch(StreamResult::failed);
                await().atMost(Duration.ofSeconds(5)).until(() ->
                        client.breaker("brk-bad").getState() == CircuitBreaker.State.OPEN);

                try (NodeAgent good = agent(zk, "brk-good", false)) {
                    for (int i = 0; i < 20; i++) {
                        VideoFrame f = src.next();
                        s.submit(f.index(), Envelopes.nowMicros(), enc.encode(f), null);
                    }
                    assertThat(s.drain(Duration.ofSeconds(20))).isTrue();
                    List<StreamResult> last = results.subList(results.size() - 20, results.size());
                    assertThat(last).as("the stream moved to the healthy agent")
                            .allMatch(r -> !r.failed() && r.agentId().equals("brk-good"));
                    assertThat(results).hasSize(30);
                }
            }
        }
    }
}
