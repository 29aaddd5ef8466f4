package io.argus.client;

import com.google.protobuf.ByteString;
import io.argus.agent.AgentConfig;
import io.argus.agent.NodeAgent;
import io.argus.cluster.embedded.EmbeddedZooKeeper;
import io.argus.agent.embedded.InProcessPipeline;
import io.argus.coordinator.Coordinator;
import io.argus.coordinator.CoordinatorConfig;
import io.argus.protocol.v1.Encoding;
import io.argus.protocol.v1.FrameRequest;
import io.argus.protocol.v1.FrameResult;
import io.argus.protocol.v1.Image;
import io.argus.protocol.v1.TaskRequest;
import io.argus.testing.ChildAgent;
import io.argus.testing.TestAssets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntConsumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fault matrix for {@code text} (readings agreed across frames, a watch list): the bundled
 * scene photos as a folder stream, looped three times so that agreement builds up, each photo
 * sent as its JPEG file is (as an image folder source sends it). Every frame's task results and
 * events must equal a reference run of the agent pipeline in this JVM, on two agents and when the
 * serving agent is SIGKILLed mid-run.
 */
class TextFaultMatrixTest {
    static final int LOOPS = 3;
    static final List<TaskRequest> TASKS = List.of(TaskRequest.newBuilder().setName("text")
            .putParams("watch", "(?i)park\n(?i)centre").build());
    static final List<Image> images = new ArrayList<>();
    static final List<FrameResult> reference = new ArrayList<>();

    @TempDir
    Path tmp;

    @BeforeAll
    static void reference() throws Exception {
        List<Path> photos = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            photos.add(TestAssets.file("images/text/scenetext0" + i + ".jpg"));
        }
        for (int loop = 0; loop < LOOPS; loop++) {
            for (Path p : photos) {
                images.add(Image.newBuilder().setEncoding(Encoding.JPEG).setData(ByteString.copyFrom(Files.readAllBytes(p)))
                        .build());
            }
        }
        try (InProcessPipeline p = InProcessPipeline.create(AgentConfig.builder().workers(1).warmup(false).build())) {
            for (int i = 0; i < images.size(); i++) {
                reference.add(p.pipeline().process(request(i), System.nanoTime()));
            }
        }
    }

    static FrameRequest request(int i) {
        return FrameRequest.newBuilder().setStreamId("signs").setSequence(i).setSourceIndex(i)
                .setCaptureTimeUs(1_700_000_000_000_000L + i * 1_000_000L).setImage(images.get(i)).addAllTasks(TASKS).build();
    }

    static List<StreamResult> stream(ArgusClient client, IntConsumer atFrame, StreamSession[] out)
            throws Exception {
        List<StreamResult> results = new CopyOnWriteArrayList<>();
        StreamSpec spec = StreamSpec.builder("signs").tasks(TASKS).window(4).build();
        try (StreamSession s = client.open(spec, results::add)) {
            out[0] = s;
            for (int i = 0; i < images.size(); i++) {
                atFrame.accept(i);
                s.submit(i, request(i).getCaptureTimeUs(), 0, images.get(i), null);
            }
            assertThat(s.drain(Duration.ofMinutes(3))).isTrue();
        }
        return results;
    }

    static void assertIdenticalToReference(List<StreamResult> results) {
        assertThat(results).hasSize(images.size());
        Set<String> ids = new HashSet<>();
        int events = 0;
        for (int i = 0; i < results.size(); i++) {
            StreamResult r = results.get(i);
            assertThat(r.ok()).as("frame %d: %s %s", i, r.error(), r.errorMessage()).isTrue();
            assertThat(r.result().getTasksList()).as("frame %d", i).isEqualTo(reference.get(i).getTasksList());
            for (var e : r.result().getTasks(0).getEventsList()) {
                ids.add(e.getId());
                events++;
            }
        }
        // the photos are read and agreed on: readings and watch-list hits, each id once
        assertThat(events).isPositive().isEqualTo(ids.size());
    }

    private Coordinator coordinator(EmbeddedZooKeeper zk) throws Exception {
        return Coordinator.start(CoordinatorConfig.builder().id("text-matrix").zkConnect(zk.connectString())
                .bindHost("127.0.0.1").advertiseHost("127.0.0.1").httpPort(0).dataDir(tmp.resolve("coordinator")).build());
    }

    @Test
    void twoAgents() throws Exception {
        List<NodeAgent> agents = new ArrayList<>();
        try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start(); Coordinator c = coordinator(zk)) {
            for (int i = 1; i <= 2; i++) {
                agents.add(NodeAgent.start(AgentConfig.builder().agentId("t" + i).zkConnect(zk.connectString())
                        .bindHost("127.0.0.1").advertiseHost("127.0.0.1").port(0).workers(1).build()));
            }
            try (ArgusClient client = ArgusClient.connect(zk.connectString(), "text-matrix")) {
                assertThat(client.awaitAgents(2, Duration.ofSeconds(15))).hasSize(2);
                assertIdenticalToReference(stream(client, i -> {
                }, new StreamSession[1]));
            }
        } finally {
            agents.forEach(NodeAgent::close);
        }
    }

    @Test
    void servingAgentKilledMidRun() throws Exception {
        try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start(); Coordinator c = coordinator(zk);
             ChildAgent a = ChildAgent.start(zk.connectString(), "tk-a", "--session-timeout-ms", "6000");
             ChildAgent b = ChildAgent.start(zk.connectString(), "tk-b", "--session-timeout-ms", "6000");
             ArgusClient client = ArgusClient.connect(zk.connectString(), "text-matrix")) {
            assertThat(client.awaitAgents(2, Duration.ofSeconds(15))).hasSize(2);
            Map<String, ChildAgent> agents = Map.of("tk-a", a, "tk-b", b);
            StreamSession[] session = new StreamSession[1];
            List<StreamResult> results = stream(client, i -> {
                if (i == 11) {
                    try {
                        agents.get(session[0].currentAgent()).kill();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }, session);
            assertThat(session[0].failovers()).isEqualTo(1);
            assertThat(session[0].replayGaps()).isZero();
            assertIdenticalToReference(results);
        }
    }
}
