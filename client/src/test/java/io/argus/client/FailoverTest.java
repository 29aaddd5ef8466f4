package io.argus.client;

import io.argus.cluster.embedded.EmbeddedZooKeeper;
import io.argus.media.FrameSource;
import io.argus.media.Sources;
import io.argus.media.VideoFrame;
import io.argus.protocol.Envelopes;
import io.argus.protocol.v1.TaskRequest;
import io.argus.testing.ChildAgent;
import io.argus.testing.TestAssets;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two agents in child JVMs; the one serving the stream is SIGKILLed mid-run. Every frame must
 * still get exactly one result, in order, and results must resume on the other agent quickly
 * (the client sees the socket die; it does not wait for ZooKeeper to expire the session).
 */
class FailoverTest {

    @Test
    void killingTheServingAgentLosesNoFrame() throws Exception {
        try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start();
             ChildAgent a = ChildAgent.start(zk.connectString(), "fo-a", "--session-timeout-ms", "6000");
             ChildAgent b = ChildAgent.start(zk.connectString(), "fo-b", "--session-timeout-ms", "6000");
             ArgusClient client = ArgusClient.connect(zk.connectString(), "failover-test")) {
            assertThat(client.awaitAgents(2, Duration.ofSeconds(10))).hasSize(2);
            Map<String, ChildAgent> agents = Map.of("fo-a", a, "fo-b", b);
            List<StreamResult> results = new CopyOnWriteArrayList<>();
            AtomicBoolean killed = new AtomicBoolean();
            long killedAtNanos = 0;
            AtomicLong firstAfterKillNanos = new AtomicLong();
            String[] victim = new String[1];
            long failoverResends = 0;
            StreamSpec spec = StreamSpec.builder("failover-cam")
                    .tasks(List.of(TaskRequest.newBuilder().setName("color").build())).window(4).build();
            FrameEncoder enc = FrameEncoder.jpeg(80);
            try (StreamSession s = client.open(spec, r -> {
                results.add(r);
                if (killed.get() && firstAfterKillNanos.get() == 0 && r.ok() && !r.agentId().equals(victim[0])) {
                    firstAfterKillNanos.set(System.nanoTime());
                }
            }); FrameSource src = Sources.open(TestAssets.vtest().toString(), false)) {
                VideoFrame f;
                while ((f = src.next()) != null) {
                    if (f.index() == 300) {
                        // frozen first, so that at least one frame is surely in flight at the kill:
                        // this one, or, when the window is full, the window's
                        victim[0] = s.currentAgent();
                        assertThat(victim[0]).isIn("fo-a", "fo-b");
                        agents.get(victim[0]).freeze();
                        boolean sent = false;
                        if (s.submitted() - s.delivered() < spec.window()) {
                            s.submit(f.index(), Envelopes.nowMicros(), enc.encode(f), null); // room: no wait
                            sent = true;
                        }
                        Thread.sleep(100); // let the client write it to the frozen agent's socket
                        killedAtNanos = System.nanoTime();
                        agents.get(victim[0]).kill();
                        killed.set(true);
                        if (sent) {
                            continue;
                        }
                    }
                    s.submit(f.index(), Envelopes.nowMicros(), enc.encode(f), null);
                }
                assertThat(s.drain(Duration.ofSeconds(60))).isTrue();
                failoverResends = s.failoverResends();
            }
            assertThat(results).hasSize(795);
            Map<String, Integer> perAgent = new HashMap<>();
            for (int i = 0; i < 795; i++) {
                StreamResult r = results.get(i);
                assertThat(r.sourceIndex()).isEqualTo(i);
                assertThat(r.ok()).as("frame %d: %s %s", i, r.error(), r.errorMessage()).isTrue();
                perAgent.merge(r.agentId(), 1, Integer::sum);
            }
            assertThat(perAgent).containsKeys("fo-a", "fo-b");
            long gapMs = (firstAfterKillNanos.get() - killedAtNanos) / 1_000_000;
            System.out.println("failover: first result from the survivor " + gapMs + " ms after the kill; "
                    + failoverResends + " frame(s) resent");
            // the kill is seen through the socket, not the 6 s session, and the survivor is warm
            // (PipelineWarmup, SelfProbe): 35-70 ms here; the bound leaves room for a slower machine
            assertThat(gapMs).isLessThan(500);
            // exactly the frames in flight on the dead agent are sent again: at least one (see the
            // freeze), at most the window; retries of frames the survivor shed while it was
            // saturated are a different matter, not counted
            assertThat(failoverResends).isBetween(1L, (long) spec.window());
        }
    }
}
