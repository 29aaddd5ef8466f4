package io.argus.client;

import io.argus.agent.AgentConfig;
import io.argus.agent.NodeAgent;
import io.argus.cluster.embedded.EmbeddedZooKeeper;
import io.argus.media.FrameSource;
import io.argus.media.Sources;
import io.argus.media.VideoFrame;
import io.argus.protocol.Envelopes;
import io.argus.protocol.v1.TaskRequest;
import io.argus.testing.LeakCheck;
import io.argus.testing.TestAssets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Closing frees every frame a sequenced session holds for replay, however the session's close and
 * its client's close interleave. Found by paranoid leak detection in {@code analyze} (one run in
 * seven on a loaded machine): the session's close ran on the control thread after the client had
 * begun to shut it down, the executor refused the connection's delayed close, and the exception
 * skipped freeing the replay buffer. Real agent, real sockets, real footage; the control thread is
 * held only to force the interleaving that load produced.
 */
class SessionCloseTest {
    private static final int FRAMES = 5;

    @BeforeEach
    void reset() {
        LeakCheck.reset();
    }

    @Test
    void aSessionWhoseCloseRunsAfterItsClientBeganToStopFreesItsFrames() throws Exception {
        try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start(); NodeAgent agent = agent(zk)) {
            closeSessionThenClientAtOnce(zk);
        }
        // the session is unreachable now: frames it did not free are collected and reported
        LeakCheck.assertNoLeaks();
    }

    @Test
    void aClientClosedWithItsSessionStillOpenClosesItFirst() throws Exception {
        try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start(); NodeAgent agent = agent(zk)) {
            closeClientOnly(zk);
        }
        LeakCheck.assertNoLeaks();
    }

    /** In a method of its own, so that nothing references the session once it returns. */
    private static void closeSessionThenClientAtOnce(EmbeddedZooKeeper zk) throws Exception {
        ArgusClient client = ArgusClient.connect(zk.connectString(), "close-test");
        StreamSession session = runFrames(client, "close-late");
        // hold the control thread until the client is shutting down, so that the session's
        // close runs on an executor that refuses new tasks
        CountDownLatch hold = new CountDownLatch(1);
        client.control().execute(() -> {
            try {
                hold.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Thread releaser = new Thread(() -> {
            while (!client.control().isShutdown()) {
                Thread.onSpinWait();
            }
            hold.countDown();
        });
        releaser.start();
        session.close();
        client.close();
        releaser.join();
    }

    private static void closeClientOnly(EmbeddedZooKeeper zk) throws Exception {
        ArgusClient client = ArgusClient.connect(zk.connectString(), "close-test");
        StreamSession session = runFrames(client, "never-closed");
        client.close();
        session.close(); // afterwards: harmless, it was closed with the client
    }

    private static NodeAgent agent(EmbeddedZooKeeper zk) throws Exception {
        return NodeAgent.start(AgentConfig.builder().agentId("close-a").zkConnect(zk.connectString())
                .bindHost("127.0.0.1").advertiseHost("127.0.0.1").workers(1).build());
    }

    /** A sequenced stream of a few frames, answered, its frames held for replay (no coordinator confirms a checkpoint). */
    private static StreamSession runFrames(ArgusClient client, String stream) throws Exception {
        assertThat(client.awaitAgents(1, Duration.ofSeconds(10))).hasSize(1);
        StreamSpec spec = StreamSpec.builder(stream)
                .tasks(List.of(TaskRequest.newBuilder().setName("people").build())).window(4).build();
        assertThat(spec.sequenced()).as("people keeps state").isTrue();
        List<StreamResult> results = new CopyOnWriteArrayList<>();
        StreamSession session = client.open(spec, results::add);
        FrameEncoder enc = FrameEncoder.jpeg(80);
        try (FrameSource src = Sources.open(TestAssets.vtest().toString(), false)) {
            for (int i = 0; i < FRAMES; i++) {
                VideoFrame f = src.next();
                assertThat(f).isNotNull();
                session.submit(i, Envelopes.nowMicros(), enc.encode(f), null);
            }
        }
        assertThat(session.drain(Duration.ofSeconds(60))).isTrue();
        assertThat(results).hasSize(FRAMES).allMatch(StreamResult::ok);
        assertThat(session.replayBytes()).as("frames held for replay").isPositive();
        return session;
    }
}
