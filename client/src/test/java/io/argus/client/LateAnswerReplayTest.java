package io.argus.client;

import io.argus.agent.AgentConfig;
import io.argus.agent.NodeAgent;
import io.argus.agent.task.TaskContext;
import io.argus.agent.task.VisionTask;
import io.argus.cluster.embedded.EmbeddedZooKeeper;
import io.argus.media.FrameSource;
import io.argus.media.Sources;
import io.argus.media.VideoFrame;
import io.argus.protocol.Envelopes;
import io.argus.protocol.v1.Code;
import io.argus.protocol.v1.Image;
import io.argus.protocol.v1.TaskRequest;
import io.argus.protocol.v1.TaskResult;
import io.argus.testing.TestAssets;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A sequenced stream whose agent stops gracefully (Goodbye, then it drains) with frames in flight:
 * the client opens the stream on another agent from the lowest frame it holds and replays from
 * there, and the old agent answers the frames it had in flight while that replay is still
 * waiting for credits. Those frames are delivered from the old agent's answers, but the new agent
 * has not applied them: they must still be sent to it, in order, or it waits for the first of
 * them for ever and refuses every later frame as out of order (the hang of
 * AnalyzeParallelTest's failover case: a segment stopped at the frame after the drained ones).
 *
 * <p>Made deterministic with a gate task on each agent: the old agent holds its in-flight frames
 * until the new agent has taken the replay's first frames (all its credits), and the new agent
 * holds those until the old agent's answers have been delivered.
 */
class LateAnswerReplayTest {
    static final int FIRST = 20;      // frames delivered before the agent stops
    static final int IN_FLIGHT = 4;   // the window: frames on the old agent when it stops
    static final int TOTAL = 40;

    /** A task that holds frames from {@code from} on until opened. */
    static final class Gate implements VisionTask {
        volatile long from = Long.MAX_VALUE;
        final CountDownLatch open = new CountDownLatch(1);
        final CountDownLatch holding = new CountDownLatch(1);

        @Override
        public String name() {
            return "gate";
        }

        @Override
        public TaskResult run(TaskContext ctx) {
            if (ctx.sourceIndex() >= from) {
                holding.countDown();
                try {
                    open.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return TaskResult.newBuilder().setTask("gate").setStatus(Code.OK).build();
        }
    }

    static NodeAgent agent(EmbeddedZooKeeper zk, String id, Gate gate) throws Exception {
        // long deadlines: frames queued behind a held one must not be refused for waiting
        return NodeAgent.start(AgentConfig.builder().agentId(id).zkConnect(zk.connectString()).bindHost("127.0.0.1")
                .advertiseHost("127.0.0.1").port(0).workers(1).frameDeadlineMs(60_000).build(), m -> List.of(gate));
    }

    @Test
    void framesAnsweredByADrainingAgentAfterTheStreamReopenedElsewhereAreStillReplayedThere() throws Exception {
        List<Image> images = new ArrayList<>();
        FrameEncoder enc = FrameEncoder.jpeg(80);
        try (FrameSource src = Sources.open(TestAssets.vtest().toString(), false)) {
            for (int i = 0; i < TOTAL; i++) {
                VideoFrame f = src.next();
                images.add(enc.encode(f));
            }
        }
        Gate gateA = new Gate();
        Gate gateB = new Gate();
        ExecutorService submitter = Executors.newSingleThreadExecutor();
        try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start();
             NodeAgent a = agent(zk, "late-a", gateA);
             NodeAgent b = agent(zk, "late-b", gateB);
             ArgusClient client = ArgusClient.connect(zk.connectString(), "late-answer-test")) {
            assertThat(client.awaitAgents(2, Duration.ofSeconds(10))).hasSize(2);
            Map<String, NodeAgent> agents = Map.of("late-a", a, "late-b", b);
            Map<String, Gate> gates = Map.of("late-a", gateA, "late-b", gateB);
            List<StreamResult> results = new CopyOnWriteArrayList<>();
            StreamSpec spec = StreamSpec.builder("late-cam").window(IN_FLIGHT).tasks(List.of(
                    TaskRequest.newBuilder().setName("people").build(),
                    TaskRequest.newBuilder().setName("gate").build())).build();
            assertThat(spec.sequenced()).isTrue();
            try (StreamSession s = client.open(spec, results::add)) {
                for (int i = 0; i < FIRST; i++) {
                    s.submit(i, Envelopes.nowMicros(), images.get(i), null);
                }
                assertThat(s.drain(Duration.ofSeconds(30))).isTrue();
                String oldId = s.currentAgent();
                String newId = oldId.equals("late-a") ? "late-b" : "late-a";
                Gate oldGate = gates.get(oldId);
                Gate newGate = gates.get(newId);
                oldGate.from = FIRST;
                newGate.from = 0; // holds the first replayed frame
                for (int i = FIRST; i < FIRST + IN_FLIGHT; i++) {
                    s.submit(i, Envelopes.nowMicros(), images.get(i), null);
                }
                assertThat(oldGate.holding.await(10, TimeUnit.SECONDS)).as("frame %d held on %s", FIRST, oldId).isTrue();

                Thread stop = new Thread(agents.get(oldId)::close, "stop-agent");
                stop.setDaemon(true);
                stop.start(); // Goodbye, then it drains the frames it holds
                // the stream is open on the new agent and its replay has taken every credit there
                assertThat(newGate.holding.await(10, TimeUnit.SECONDS)).as("replay on %s", newId).isTrue();
                oldGate.open.countDown();
                await().atMost(Duration.ofSeconds(10)).until(() -> results.size() >= FIRST + IN_FLIGHT);
                assertThat(results.subList(FIRST, FIRST + IN_FLIGHT)).as("answered by the draining agent")
                        .allMatch(r -> r.ok() && r.agentId().equals(oldId));
                newGate.open.countDown();

                Future<?> rest = submitter.submit(() -> {
                    for (int i = FIRST + IN_FLIGHT; i < TOTAL; i++) {
                        s.submit(i, Envelopes.nowMicros(), images.get(i), null);
                    }
                    return null;
                });
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (s.delivered() < TOTAL && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                assertThat(s.delivered()).as("frames delivered (the new agent waits for frame %d; %d resends)",
                        FIRST, s.resends()).isEqualTo(TOTAL);
                rest.get(5, TimeUnit.SECONDS);
                assertThat(results).hasSize(TOTAL);
                for (int i = 0; i < TOTAL; i++) {
                    assertThat(results.get(i).sourceIndex()).isEqualTo(i);
                    assertThat(results.get(i).ok()).as("frame %d: %s", i, results.get(i).errorMessage()).isTrue();
                }
                assertThat(results.subList(FIRST + IN_FLIGHT, TOTAL)).allMatch(r -> r.agentId().equals(newId));
            }
        } finally {
            submitter.shutdownNow();
        }
    }
}
