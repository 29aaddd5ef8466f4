package io.argus.client;

import io.argus.agent.AgentConfig;
import io.argus.agent.NodeAgent;
import io.argus.agent.embedded.InProcessPipeline;
import io.argus.agent.state.CheckpointConfig;
import io.argus.cluster.ZkPaths;
import io.argus.cluster.embedded.EmbeddedZooKeeper;
import io.argus.coordinator.Coordinator;
import io.argus.coordinator.CoordinatorConfig;
import io.argus.coordinator.assign.AssignmentConfig;
import io.argus.coordinator.assign.LoadBalancerConfig;
import io.argus.media.FrameSource;
import io.argus.media.Sources;
import io.argus.media.VideoFrame;
import io.argus.protocol.v1.FrameRequest;
import io.argus.protocol.v1.FrameResult;
import io.argus.protocol.v1.Image;
import io.argus.protocol.v1.StateBundle;
import io.argus.protocol.v1.TaskRequest;
import io.argus.testing.TestAssets;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The client forgets a sequenced stream's frames only when the checkpoint it would be restored
 * from covers them, and a failover restores it from that checkpoint: real ZooKeeper, coordinator
 * and agents, the people task on the bundled footage, every frame's results compared with an
 * uninterrupted run of the same frames in this JVM.
 */
class ConfirmedCheckpointTest {
    static final int FRAMES = 90;
    static final String STREAM = "confirm-cam";
    static final long BASE_US = 1_700_000_000_000_000L;
    static final List<TaskRequest> TASKS = List.of(TaskRequest.newBuilder().setName("people")
            .putAllParams(Map.of("lines", "door:384,0,384,576;road:0,300,768,300")).build());

    @TempDir
    Path tmp;

    static long captureUs(int i) {
        return BASE_US + i * 100_000L;
    }

    static long mediaUs(int i) {
        return i * 100_000L + 1;
    }

    static NodeAgent agent(EmbeddedZooKeeper zk, String id) throws Exception {
        // checkpoints by frame count only (every 10 frames), so that which ones exist is known
        return NodeAgent.start(AgentConfig.builder().agentId(id).zkConnect(zk.connectString()).bindHost("127.0.0.1")
                .advertiseHost("127.0.0.1").port(0).workers(1).warmup(false)
                .checkpoint(CheckpointConfig.builder().everyFrames(10).intervalMs(600_000).build()).build());
    }

    static Optional<StateBundle> stored(Coordinator c) {
        return c.store().state(STREAM).map(b -> {
            try {
                return StateBundle.parseFrom(b);
            } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    static final List<Image> images = new ArrayList<>();
    static final List<FrameResult> reference = new ArrayList<>();

    @BeforeAll
    static void reference() throws Exception {
        FrameEncoder enc = FrameEncoder.jpeg(90);
        try (FrameSource src = Sources.open(TestAssets.vtest().toString(), false)) {
            VideoFrame f;
            while (images.size() < FRAMES && (f = src.next()) != null) {
                images.add(enc.encode(f));
            }
        }
        try (InProcessPipeline p = InProcessPipeline.create(AgentConfig.builder().workers(1).warmup(false).build())) {
            for (int i = 0; i < FRAMES; i++) {
                reference.add(p.pipeline().process(FrameRequest.newBuilder().setStreamId(STREAM).setSequence(i)
                        .setSourceIndex(i).setCaptureTimeUs(captureUs(i)).setMediaTimeUs(mediaUs(i))
                        .setImage(images.get(i)).addAllTasks(TASKS).build(), System.nanoTime()));
            }
        }
    }

    @AfterAll
    static void clear() {
        images.clear();
        reference.clear();
    }

    static void submit(StreamSession s, int from, int to) throws InterruptedException {
        for (int i = from; i < to; i++) {
            s.submit(i, captureUs(i), mediaUs(i), images.get(i), null);
        }
    }

    /** Every frame answered once, in order, and exactly as in the uninterrupted run. */
    static void assertIdenticalToReference(List<StreamResult> results) {
        assertThat(results).hasSize(FRAMES);
        for (int i = 0; i < FRAMES; i++) {
            StreamResult r = results.get(i);
            assertThat(r.sourceIndex()).isEqualTo(i);
            assertThat(r.ok()).as("frame %d: %s %s", i, r.error(), r.errorMessage()).isTrue();
            assertThat(r.result().getTasksList()).as("frame %d", i).isEqualTo(reference.get(i).getTasksList());
        }
    }

    Coordinator coordinator(EmbeddedZooKeeper zk) throws Exception {
        // the leader places streams when agents come and go, but does not reconcile nor shed load
        // during the test (either would rewrite an assignment the test removed)
        AssignmentConfig placement = AssignmentConfig.builder().reconcileMs(600_000)
                .loadBalancer(LoadBalancerConfig.builder().high(1).sustain(100).checkIntervalMs(60_000).build()).build();
        return Coordinator.start(CoordinatorConfig.builder().id("confirm-coordinator")
                .zkConnect(zk.connectString()).bindHost("127.0.0.1").advertiseHost("127.0.0.1").httpPort(0)
                .dataDir(tmp.resolve("coordinator")).assignment(placement).build());
    }

    /**
     * An agent whose checkpoints the coordinator acknowledges but does not keep must not tell the
     * client that they are stored: the client would forget the frames they cover, and after the
     * next failover the stream would be restored from the older checkpoint the coordinator does
     * keep, with a gap ("the checkpoint is older than the frames held") although the replay
     * buffer never overflowed. That happened under load when the stream bounced between agents:
     * an agent that still applied the stream's frames while the coordinator ranked its checkpoints
     * below the stored one (an ownership epoch the stream had left, fenced; or epoch 0, no
     * assignment naming it) had them acknowledged with their batch, and reported their sequence.
     *
     * <p>Made deterministic by deleting the stream's assignment node in ZooKeeper once a
     * checkpoint under the owner's epoch is stored: the agent then applies the stream's frames
     * under epoch 0, and the coordinator keeps the stored checkpoint of the owner's epoch over its
     * later ones (checkpoints are ordered by run, then epoch, then sequence). The leader does not
     * place the stream again until an agent leaves.
     */
    @Test
    void aCheckpointTheCoordinatorDidNotKeepIsNeverConfirmedToTheClient() throws Exception {
        try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start();
             Coordinator c = coordinator(zk);
             NodeAgent a = agent(zk, "confirm-a");
             NodeAgent b = agent(zk, "confirm-b");
             CuratorFramework zkc = CuratorFrameworkFactory.newClient(zk.connectString(), new RetryOneTime(100));
             ArgusClient client = ArgusClient.connect(zk.connectString(), "confirm-test")) {
            zkc.start();
            assertThat(client.awaitAgents(2, Duration.ofSeconds(10))).hasSize(2);
            await().atMost(Duration.ofSeconds(10)).until(() -> !client.view().coordinators().isEmpty());
            Map<String, NodeAgent> agents = Map.of("confirm-a", a, "confirm-b", b);
            List<StreamResult> results = new CopyOnWriteArrayList<>();
            long confirmedBefore;
            StreamSpec spec = StreamSpec.builder(STREAM).tasks(TASKS).window(4).build();
            try (StreamSession s = client.open(spec, results::add)) {
                submit(s, 0, 30);
                assertThat(s.drain(Duration.ofSeconds(60))).isTrue();
                String owner = s.currentAgent();
                NodeAgent served = agents.get(owner);
                long epoch = served.view().epoch(STREAM, owner);
                assertThat(epoch).as("the coordinator placed the stream on %s", owner).isPositive();
                // the owner's checkpoint of frame 29, under its epoch, is stored
                await().atMost(Duration.ofSeconds(10)).until(() -> stored(c).map(StateBundle::getLastSequence).orElse(-1L) == 29);

                // the assignment goes: the owner goes on applying the stream, under epoch 0
                zkc.delete().forPath(ZkPaths.defaults().assignment(STREAM));
                await().atMost(Duration.ofSeconds(10)).until(() -> served.view().assignment(STREAM).isEmpty()
                        && client.view().assignment(STREAM).isEmpty());
                submit(s, 30, 70);
                assertThat(s.drain(Duration.ofSeconds(60))).isTrue();
                assertThat(s.currentAgent()).isEqualTo(owner);
                // its checkpoints of frames 39 to 69 are acknowledged, not kept: the stored one is still 29
                Thread.sleep(1_000);
                assertThat(stored(c).map(StateBundle::getLastSequence)).contains(29L);
                confirmedBefore = s.confirmedCheckpoint();
                System.out.println("confirmed to the client before the failover: " + confirmedBefore
                        + "; the coordinator keeps " + stored(c).map(StateBundle::getLastSequence).orElse(-1L));

                served.close(); // Goodbye: the stream moves, restored from the coordinator's checkpoint
                submit(s, 70, FRAMES);
                assertThat(s.drain(Duration.ofSeconds(60))).isTrue();
                assertThat(s.currentAgent()).isNotEqualTo(owner);
                assertThat(s.replayEvicted()).as("the replay buffer never overflowed").isZero();
                assertThat(s.replayGaps()).as("gaps without an overflow").isZero();
            }
            assertThat(confirmedBefore).as("confirmed to the client but not kept by the coordinator").isLessThanOrEqualTo(29);
            assertIdenticalToReference(results);
        }
    }

    /**
     * No coordinator to ask is not "no checkpoint": the serving agent leaves while the only
     * coordinator is down, after the client forgot frames 0-29 on the word that the coordinator
     * holds their checkpoint. Opening the stream on the other agent without it would start its
     * state again at frame 30, silently (no gap was counted). The client waits for a coordinator
     * instead, and continues from the checkpoint once it is back.
     */
    @Test
    void noCoordinatorToAskIsNotNoCheckpoint() throws Exception {
        try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start();
             NodeAgent a = agent(zk, "confirm-a");
             NodeAgent b = agent(zk, "confirm-b");
             ArgusClient client = ArgusClient.connect(zk.connectString(), "confirm-test")) {
            Coordinator first = coordinator(zk);
            Coordinator[] running = {first};
            try {
                assertThat(client.awaitAgents(2, Duration.ofSeconds(10))).hasSize(2);
                await().atMost(Duration.ofSeconds(10)).until(() -> !client.view().coordinators().isEmpty());
                Map<String, NodeAgent> agents = Map.of("confirm-a", a, "confirm-b", b);
                List<StreamResult> results = new CopyOnWriteArrayList<>();
                StreamSpec spec = StreamSpec.builder(STREAM).tasks(TASKS).window(4).build();
                try (StreamSession s = client.open(spec, results::add)) {
                    submit(s, 0, 30);
                    assertThat(s.drain(Duration.ofSeconds(60))).isTrue();
                    await().atMost(Duration.ofSeconds(10)).until(() -> stored(first).map(StateBundle::getLastSequence)
                            .orElse(-1L) == 29);
                    submit(s, 30, 35); // their answers tell the client that frames up to 29 are stored
                    assertThat(s.drain(Duration.ofSeconds(60))).isTrue();
                    assertThat(s.confirmedCheckpoint()).isEqualTo(29);
                    String owner = s.currentAgent();

                    running[0] = null;
                    first.close(); // the only coordinator: its registration goes with it
                    await().atMost(Duration.ofSeconds(10)).until(() -> client.view().coordinators().isEmpty());
                    agents.get(owner).close(); // Goodbye: the stream moves, and no coordinator can be asked
                    submit(s, 35, 39); // as many as the window holds
                    Thread.sleep(3_000);
                    assertThat(s.delivered()).as("frames applied on a stream without its state").isEqualTo(35);

                    running[0] = coordinator(zk); // the same data directory: the checkpoint of frame 29
                    submit(s, 39, FRAMES);
                    assertThat(s.drain(Duration.ofSeconds(60))).isTrue();
                    assertThat(s.currentAgent()).isNotEqualTo(owner);
                    assertThat(s.replayEvicted()).isZero();
                    assertThat(s.replayGaps()).isZero();
                }
                assertIdenticalToReference(results);
            } finally {
                if (running[0] != null) {
                    running[0].close();
                }
            }
        }
    }
}
