package io.argus.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.argus.agent.AgentConfig;
import io.argus.agent.NodeAgent;
import io.argus.cluster.embedded.EmbeddedZooKeeper;
import io.argus.agent.embedded.InProcessPipeline;
import io.argus.coordinator.Coordinator;
import io.argus.coordinator.CoordinatorConfig;
import io.argus.coordinator.cluster.ChildCoordinator;
import io.argus.media.FrameSource;
import io.argus.media.Sources;
import io.argus.media.VideoFrame;
import io.argus.protocol.v1.Event;
import io.argus.protocol.v1.FrameRequest;
import io.argus.protocol.v1.FrameResult;
import io.argus.protocol.v1.Image;
import io.argus.protocol.v1.TaskRequest;
import io.argus.protocol.v1.TaskResult;
import io.argus.testing.ChildAgent;
import io.argus.testing.TestAssets;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.IntConsumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * "The same recording gives the same counts every time": {@code people} with three lines and a
 * zone on the bundled footage, through a real cluster under each fault below, against a reference
 * run of the agent pipeline called directly in this JVM (no network, no ZooKeeper). Every frame's
 * task results (boxes, track ids, counters, zone occupancy), every event (id, content, thumbnail)
 * and the totals must be <em>identical</em> to the reference. Timing and agent fields are not
 * compared; nothing else is left out.
 *
 * <p>Rows of the fault matrix covered here (RELIABILITY.md, "What exactly-once means in Argus"):
 * one, two and three agents; two busy loops keeping both cores at 100% for the whole run; the
 * serving agent SIGKILLed mid-run.
 */
class FaultMatrixTest {
    static final int FRAMES = 420;
    static final long BASE_US = 1_700_000_000_000_000L;
    static final Map<String, String> PARAMS = Map.of(
            "lines", "door:384,0,384,576;road:0,300,768,300;diag:0,0,767,575",
            "zones", "lawn:0,330,420,330,420,575,0,575");
    static final List<TaskRequest> TASKS = List.of(TaskRequest.newBuilder().setName("people").putAllParams(PARAMS).build());

    static final List<VideoFrame> frames = new ArrayList<>();
    static final List<Image> images = new ArrayList<>();
    static final List<FrameResult> reference = new ArrayList<>();

    @TempDir
    Path tmp;
    final StreamSession[] lastSession = new StreamSession[1];

    @BeforeAll
    static void reference() throws Exception {
        FrameEncoder enc = FrameEncoder.jpeg(90);
        try (FrameSource src = Sources.open(TestAssets.vtest().toString(), false)) {
            VideoFrame f;
            while (frames.size() < FRAMES && (f = src.next()) != null) {
                frames.add(f);
                images.add(enc.encode(f));
            }
        }
        try (InProcessPipeline p = InProcessPipeline.create(AgentConfig.builder().workers(1).warmup(false).build())) {
            for (int i = 0; i < FRAMES; i++) {
                reference.add(p.pipeline().process(request(i), System.nanoTime()));
            }
        }
    }

    @AfterAll
    static void clear() {
        frames.clear();
        images.clear();
        reference.clear();
    }

    static FrameRequest request(int i) {
        return FrameRequest.newBuilder().setStreamId("matrix").setSequence(i).setSourceIndex(i)
                .setCaptureTimeUs(captureUs(i)).setMediaTimeUs(i * 100_000L + 1).setImage(images.get(i))
                .addAllTasks(TASKS).build();
    }

    static long captureUs(int i) {
        return BASE_US + i * 100_000L;
    }

    /** Streams the frames through the cluster, calling {@code atFrame} before each submit. */
    /** When each result reached the listener (nanoTime), in delivery order. */
    static final List<Long> arrivals = new CopyOnWriteArrayList<>();

    static List<StreamResult> stream(ArgusClient client, IntConsumer atFrame, StreamSession[] out) throws Exception {
        List<StreamResult> results = new CopyOnWriteArrayList<>();
        arrivals.clear();
        StreamSpec spec = StreamSpec.builder("matrix").tasks(TASKS).window(8).build();
        try (StreamSession s = client.open(spec, r -> {
            results.add(r);
            arrivals.add(System.nanoTime());
        })) {
            out[0] = s;
            for (int i = 0; i < FRAMES; i++) {
                atFrame.accept(i);
                s.submit(i, captureUs(i), i * 100_000L + 1, images.get(i), null);
            }
            assertThat(s.drain(Duration.ofMinutes(3))).isTrue();
        }
        return results;
    }

    /** The verdict of the matrix: every frame's tasks and events equal the reference's. */
    static void assertIdenticalToReference(List<StreamResult> results) {
        assertThat(results).hasSize(FRAMES);
        for (int i = 0; i < FRAMES; i++) {
            StreamResult r = results.get(i);
            assertThat(r.sourceIndex()).isEqualTo(i);
            assertThat(r.ok()).as("frame %d: %s %s", i, r.error(), r.errorMessage()).isTrue();
            List<TaskResult> got = r.result().getTasksList();
            List<TaskResult> want = reference.get(i).getTasksList();
            assertThat(got).as("frame %d", i).isEqualTo(want);
        }
        assertThat(totals(results)).isEqualTo(totals(reference.stream().map(FrameResultHolder::new).toList()))
                .as("the reference counts something").isNotEmpty();
        assertThat(eventIds(results)).hasSize(events(results).size());
    }

    record FrameResultHolder(FrameResult result) {
    }

    static Map<String, Long> totals(List<?> results) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (Object o : results) {
            FrameResult fr = o instanceof StreamResult sr ? sr.result() : ((FrameResultHolder) o).result();
            for (TaskResult t : fr.getTasksList()) {
                for (Event e : t.getEventsList()) {
                    out.merge(e.getAttributesMap().get("line") + "." + e.getAttributesMap().get("direction"), 1L, Long::sum);
                }
            }
        }
        return out;
    }

    static List<Event> events(List<StreamResult> results) {
        List<Event> out = new ArrayList<>();
        results.forEach(r -> r.result().getTasksList().forEach(t -> out.addAll(t.getEventsList())));
        return out;
    }

    static Set<String> eventIds(List<StreamResult> results) {
        Set<String> ids = new TreeSet<>();
        events(results).forEach(e -> ids.add(e.getId()));
        return ids;
    }

    static Map<String, Integer> perAgent(List<StreamResult> results) {
        Map<String, Integer> out = new HashMap<>();
        results.forEach(r -> out.merge(r.agentId(), 1, Integer::sum));
        return out;
    }

    private Coordinator coordinator(EmbeddedZooKeeper zk) throws Exception {
        return Coordinator.start(CoordinatorConfig.builder().id("matrix-coordinator").zkConnect(zk.connectString())
                .bindHost("127.0.0.1").advertiseHost("127.0.0.1").httpPort(0).dataDir(tmp.resolve("coordinator")).build());
    }

    private static NodeAgent agent(EmbeddedZooKeeper zk, String id, int deadlineMs) throws Exception {
        return NodeAgent.start(AgentConfig.builder().agentId(id).zkConnect(zk.connectString()).bindHost("127.0.0.1")
                .advertiseHost("127.0.0.1").port(0).workers(1).frameDeadlineMs(deadlineMs).build());
    }

    private List<StreamResult> runInProcess(int agents, boolean busy) throws Exception {
        return runInProcess(agents, busy, AgentConfig.builder().build().frameDeadlineMs());
    }

    /** In-process agents, a coordinator, and optionally processes that keep every core busy. */
    private List<StreamResult> runInProcess(int agents, boolean busy, int deadlineMs) throws Exception {
        List<Process> loops = new ArrayList<>();
        List<NodeAgent> started = new ArrayList<>();
        try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start(); Coordinator c = coordinator(zk)) {
            for (int i = 1; i <= agents; i++) {
                started.add(agent(zk, "m" + i, deadlineMs));
            }
            if (busy) {
                for (int i = 0; i < Runtime.getRuntime().availableProcessors(); i++) {
                    loops.add(new ProcessBuilder("sh", "-c", "while :; do :; done").start());
                }
            }
            try (ArgusClient client = ArgusClient.connect(zk.connectString(), "matrix")) {
                assertThat(client.awaitAgents(agents, Duration.ofSeconds(15))).hasSize(agents);
                List<StreamResult> results = stream(client, i -> {
                }, lastSession);
                // sticky: a stream with state never moves while its agent lives, loaded or not
                assertThat(perAgent(results)).hasSize(1);
                return results;
            }
        } finally {
            loops.forEach(Process::destroyForcibly);
            started.forEach(NodeAgent::close);
        }
    }

    @Test
    void oneAgent() throws Exception {
        assertIdenticalToReference(runInProcess(1, false));
    }

    @Test
    void twoAgents() throws Exception {
        assertIdenticalToReference(runInProcess(2, false));
    }

    @Test
    void threeAgents() throws Exception {
        assertIdenticalToReference(runInProcess(3, false));
    }

    @Test
    void twoAgentsWithEveryCoreBusy() throws Exception {
        assertIdenticalToReference(runInProcess(2, true));
    }

    /**
     * An agent that refuses most frames: any frame that waited over 30 ms in its queue (one
     * {@code people} frame takes about 25 ms) is answered {@code TIMEOUT} unprocessed, so frame N
     * is refused while N+1, N+2... are already queued behind it. They must be refused too, and
     * the client must resend in order: the results are still the reference's.
     */
    @Test
    void anAgentRefusingFramesWhileLaterOnesAreQueued() throws Exception {
        assertIdenticalToReference(runInProcess(1, false, 30));
        // the condition happened: frames were refused and sent again (hundreds, in practice)
        assertThat(lastSession[0].resends()).isGreaterThan(10);
        assertThat(lastSession[0].failovers()).isZero();
    }

    /**
     * The serving agent is SIGKILLed at frame 250. The other agent restores the coordinators' last
     * checkpoint and the client replays every frame after it: the results after the kill are still
     * the reference's, and no crossing is counted twice or lost.
     */
    @Test
    void servingAgentKilledMidRun() throws Exception {
        killServingAgentMidRun(null);
    }

    /**
     * As above with tokens on everywhere: agents and the coordinator demand a token, so the new
     * agent's checkpoint lookup and the client's state fetch must both present one (the client's
     * fetch once sent none, and a failover then went on without the checkpoint: counts lost).
     */
    @Test
    void servingAgentKilledMidRunWithTokensOn() throws Exception {
        killServingAgentMidRun("matrix-" + UUID.randomUUID());
    }

    private void killServingAgentMidRun(String token) throws Exception {
        String[] agentArgs = {"--session-timeout-ms", "6000"};
        if (token != null) {
            Path file = Files.writeString(tmp.resolve("token"), token + "\n");
            agentArgs = new String[]{"--session-timeout-ms", "6000", "--auth-token-file", file.toString(),
                    "--coordinator-token-file", file.toString()};
        }
        try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start();
             Coordinator c = Coordinator.start(CoordinatorConfig.builder().id("matrix-coordinator")
                     .zkConnect(zk.connectString()).bindHost("127.0.0.1").advertiseHost("127.0.0.1").httpPort(0)
                     .dataDir(tmp.resolve("coordinator")).tokens(token == null ? List.of() : List.of(token)).build());
             ChildAgent a = ChildAgent.start(zk.connectString(), "mk-a", agentArgs);
             ChildAgent b = ChildAgent.start(zk.connectString(), "mk-b", agentArgs);
             ArgusClient client = ArgusClient.connect(zk.connectString(), "matrix", token, null)) {
            assertThat(client.awaitAgents(2, Duration.ofSeconds(15))).hasSize(2);
            Map<String, ChildAgent> agents = Map.of("mk-a", a, "mk-b", b);
            StreamSession[] session = new StreamSession[1];
            String[] victim = new String[1];
            long[] killedAt = new long[1];
            List<StreamResult> results = stream(client, i -> {
                if (i == 250) {
                    victim[0] = session[0].currentAgent();
                    try {
                        killedAt[0] = System.nanoTime();
                        agents.get(victim[0]).kill();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }, session);
            assertThat(victim[0]).isIn("mk-a", "mk-b");
            assertThat(perAgent(results)).hasSize(2);
            long firstAfter = -1;
            for (int i = 0; i < results.size(); i++) {
                if (!results.get(i).agentId().equals(victim[0]) && arrivals.get(i) > killedAt[0]) {
                    firstAfter = (arrivals.get(i) - killedAt[0]) / 1_000_000;
                    break;
                }
            }
            System.out.println("fault matrix, SIGKILL" + (token == null ? "" : " (tokens on)") + ": " + session[0].replayedSends() + " frame(s) replayed, "
                    + session[0].replayGaps() + " gap(s); first result from the survivor " + firstAfter
                    + " ms after the kill; replay buffer peak " + session[0].replayPeakFrames() + " frames, "
                    + session[0].replayPeakBytes() / 1024 + " KiB");
            assertThat(session[0].replayGaps()).isZero();
            assertIdenticalToReference(results);
        }
    }

    /**
     * The serving agent is frozen (SIGSTOP) at frame 150 for longer than its ZooKeeper session
     * (6 s), then resumed (SIGCONT). The client moves the stream to another agent when the frozen
     * one stops answering heartbeats, and replays from the checkpoint. When the frozen agent
     * wakes it may still hold frames and export its stale state; then, at frame 330, the agent
     * that took over is SIGKILLed, so the stream must be restored from the coordinators'
     * checkpoint once more. A stale checkpoint from the woken agent would take the counts
     * backwards there: the results must still be the reference's.
     */
    @Test
    void servingAgentFrozenPastItsSessionThenResumed() throws Exception {
        try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start(); Coordinator c = coordinator(zk);
             ChildAgent a = ChildAgent.start(zk.connectString(), "ms-a", "--session-timeout-ms", "6000");
             ChildAgent b = ChildAgent.start(zk.connectString(), "ms-b", "--session-timeout-ms", "6000");
             ChildAgent third = ChildAgent.start(zk.connectString(), "ms-c", "--session-timeout-ms", "6000");
             ArgusClient client = ArgusClient.connect(zk.connectString(), "matrix")) {
            assertThat(client.awaitAgents(3, Duration.ofSeconds(15))).hasSize(3);
            Map<String, ChildAgent> agents = Map.of("ms-a", a, "ms-b", b, "ms-c", third);
            StreamSession[] session = new StreamSession[1];
            String[] frozen = new String[1];
            String[] killed = new String[1];
            long[] frozenAt = new long[1];
            List<StreamResult> results = stream(client, i -> {
                try {
                    if (i == 150) {
                        frozen[0] = session[0].currentAgent();
                        agents.get(frozen[0]).freeze();
                        frozenAt[0] = System.nanoTime();
                    }
                    if (i == 330) {
                        // resumed past its session, then the stream's new agent dies
                        long sleep = frozenAt[0] + Duration.ofSeconds(8).toNanos() - System.nanoTime();
                        if (sleep > 0) {
                            Thread.sleep(sleep / 1_000_000);
                        }
                        agents.get(frozen[0]).thaw();
                        Thread.sleep(1_500); // let it wake, notice its lost session, and flush what it had
                        killed[0] = session[0].currentAgent();
                        assertThat(killed[0]).isNotEqualTo(frozen[0]);
                        agents.get(killed[0]).kill();
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, session);
            System.out.println("fault matrix, SIGSTOP/SIGCONT then SIGKILL: " + session[0].replayedSends()
                    + " frame(s) replayed, " + session[0].replayGaps() + " gap(s), " + session[0].failovers() + " failover(s)");
            assertThat(session[0].replayGaps()).isZero();
            assertThat(perAgent(results).keySet()).contains(frozen[0]).hasSizeGreaterThanOrEqualTo(2);
            assertIdenticalToReference(results);
        }
    }

    /** Two coordinators in child JVMs, a 3-server ZooKeeper ensemble and two agents, for the control-plane rows. */
    private List<StreamResult> runWithControlPlaneFault(BiConsumer<Integer, ControlPlane> fault)
            throws Exception {
        List<InstanceSpec> specs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            specs.add(new InstanceSpec(null, -1, -1, -1, true, i + 1, 200, -1, Map.of()));
        }
        List<NodeAgent> started = new ArrayList<>();
        try (TestingCluster zk = new TestingCluster(specs)) {
            zk.start();
            String connect = zk.getConnectString();
            try (var c1 = ChildCoordinator.start(connect, "mc-1", tmp.resolve("mc-1"), 6000);
                 var c2 = ChildCoordinator.start(connect, "mc-2", tmp.resolve("mc-2"), 6000)) {
                for (int i = 1; i <= 2; i++) {
                    started.add(NodeAgent.start(AgentConfig.builder().agentId("mz" + i).zkConnect(connect)
                            .bindHost("127.0.0.1").advertiseHost("127.0.0.1").port(0).workers(1).build()));
                }
                ControlPlane cp = new ControlPlane(zk, List.of(c1, c2));
                try (ArgusClient client = ArgusClient.connect(connect, "matrix")) {
                    assertThat(client.awaitAgents(2, Duration.ofSeconds(15))).hasSize(2);
                    List<StreamResult> results = stream(client, i -> fault.accept(i, cp), new StreamSession[1]);
                    assertThat(perAgent(results)).hasSize(1);
                    return results;
                }
            }
        } finally {
            started.forEach(NodeAgent::close);
        }
    }

    record ControlPlane(TestingCluster zk, List<ChildCoordinator> coordinators) {
        /** The acting leader, from each coordinator's /healthz. */
        ChildCoordinator leader() throws Exception {
            var http = HttpClient.newHttpClient();
            for (var c : coordinators) {
                var r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + c.httpPort()
                        + "/healthz")).build(), BodyHandlers.ofString());
                if (new ObjectMapper().readTree(r.body()).path("acting_leader").asBoolean()) {
                    return c;
                }
            }
            throw new IllegalStateException("no acting leader");
        }
    }

    /** The leader coordinator is SIGKILLed at frame 200: the standby takes over; the stream neither moves nor changes. */
    @Test
    void leaderCoordinatorKilledMidRun() throws Exception {
        String[] killed = new String[1];
        assertIdenticalToReference(runWithControlPlaneFault((i, cp) -> {
            if (i == 200) {
                try {
                    var leader = cp.leader();
                    killed[0] = leader.id();
                    leader.kill();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }));
        assertThat(killed[0]).isIn("mc-1", "mc-2");
    }

    /** One of the three ZooKeeper servers is killed at frame 200: the quorum holds, nothing moves or changes. */
    @Test
    void oneZooKeeperServerOfThreeKilledMidRun() throws Exception {
        assertIdenticalToReference(runWithControlPlaneFault((i, cp) -> {
            if (i == 200) {
                try {
                    assertThat(cp.zk().killServer(cp.zk().getInstances().iterator().next())).isTrue();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }));
    }
}
