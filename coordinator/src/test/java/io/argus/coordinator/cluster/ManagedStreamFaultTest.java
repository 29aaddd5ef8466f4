package io.argus.coordinator.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.argus.agent.AgentConfig;
import io.argus.agent.embedded.InProcessPipeline;
import io.argus.agent.managed.ManagedFrames;
import io.argus.media.FrameSource;
import io.argus.media.Sources;
import io.argus.media.VideoFrame;
import io.argus.cluster.ClusterView;
import io.argus.cluster.ManagedState;
import io.argus.cluster.ManagedStatus;
import io.argus.cluster.StreamDefinition;
import io.argus.cluster.ZkClients;
import io.argus.cluster.ZkPaths;
import io.argus.protocol.v1.Event;
import io.argus.protocol.v1.FrameResult;
import io.argus.protocol.v1.StateBundle;
import io.argus.protocol.v1.TaskResult;
import io.argus.testing.ChildAgent;
import io.argus.testing.TestAssets;
import io.argus.cluster.SourcePolicy;
import io.argus.cluster.SourcePolicies;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A managed stream (the agent pulls the file itself, no client involved) under one fault after
 * another: the owning agent SIGKILLed; then its successor SIGSTOPped for three session timeouts
 * (the stream moves to the third agent) and SIGCONTinued, a zombie that must not apply or store
 * anything more; then ZooKeeper stopped for 15 s and started again. The recording is read once.
 *
 * <p>The verdict: the events the coordinator stored are exactly those of an uninterrupted run of
 * the same file through the agent pipeline in this JVM (same ids, same contents, each once), and
 * so are the totals computed from them. While it ran, no stored total ever went down, and no owner
 * but the first read the file from frame 0: each continued from a checkpoint.
 */
class ManagedStreamFaultTest {
    static final int SESSION_MS = 3_000;
    static final String STREAM = "lobby";
    static final String LINES = "door:384,0,384,576;road:0,300,768,300;diag:0,0,767,575";
    static final String ZONES = "lawn:0,330,420,330,420,575,0,575";
    static final ObjectMapper JSON = new ObjectMapper();
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void storedTotalsOfAManagedStreamEqualAnUninterruptedRunAfterKillFreezeAndAZooKeeperOutage(@TempDir Path dir)
            throws Exception {
        Path zkData = Files.createDirectories(dir.resolve("zk"));
        int zkPort = InstanceSpec.getRandomPort();
        // tickTime 200 ms: sessions of 3 s are allowed, and expire within a tick of their timeout
        TestingServer zk = new TestingServer(new InstanceSpec(zkData.toFile(), zkPort, -1, -1, false, 1, 200, -1, Map.of()),
                true);
        String connect = zk.getConnectString();
        List<String> decreases = new CopyOnWriteArrayList<>();
        AtomicBoolean watching = new AtomicBoolean(true);
        try (ChildCoordinator co = ChildCoordinator.start(connect, "co-m", dir.resolve("co"), SESSION_MS);
             ChildAgent a = ChildAgent.start(connect, "mg-a", "--session-timeout-ms", "" + SESSION_MS);
             ChildAgent b = ChildAgent.start(connect, "mg-b", "--session-timeout-ms", "" + SESSION_MS);
             ChildAgent c = ChildAgent.start(connect, "mg-c", "--session-timeout-ms", "" + SESSION_MS);
             CuratorFramework curator = ZkClients.newClient(connect, 10_000)) {
            curator.start();
            curator.blockUntilConnected(10, TimeUnit.SECONDS);
            SourcePolicies.write(curator, ZkPaths.defaults(), SourcePolicy.DEFAULT.withMediaRoot(TestAssets.root()));
            ClusterView view = new ClusterView(curator, ZkPaths.defaults()).start();
            Map<String, ChildAgent> agents = Map.of(a.id(), a, b.id(), b, c.id(), c);
            String base = "http://127.0.0.1:" + co.httpPort();
            String body = "{\"id\":\"" + STREAM + "\",\"source\":\"" + TestAssets.vtestSource()
                    + "\",\"loop\":false,\"tasks\":[{\"name\":\"people\",\"params\":{\"lines\":\"" + LINES
                    + "\",\"zones\":\"" + ZONES + "\"}}]}";
            HttpResponse<String> reg = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/streams"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(reg.statusCode()).as(reg.body()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(20)).until(() -> view.assignment(STREAM).isPresent());
            StreamDefinition def = view.stream(STREAM).orElseThrow();
            long firstEpoch = view.currentEpoch(STREAM);

            Thread watcher = new Thread(() -> watchTotals(base, watching, decreases), "totals-watcher");
            watcher.setDaemon(true);
            watcher.start();
            Set<ManagedStatus> resumes = ConcurrentHashMap.newKeySet();
            Thread resumeWatcher = new Thread(() -> watchResumes(view, watching, resumes), "resume-watcher");
            resumeWatcher.setDaemon(true);
            resumeWatcher.start();

            // 1. SIGKILL the owner once a checkpoint holds 150 frames
            awaitCheckpoint(base, 150, Duration.ofSeconds(60));
            String first = view.assignment(STREAM).orElseThrow().agent();
            agents.get(first).kill();
            await().atMost(Duration.ofSeconds(20)).until(() -> view.assignment(STREAM)
                    .map(x -> !x.agent().equals(first)).orElse(false));
            String second = view.assignment(STREAM).orElseThrow().agent();
            long secondEpoch = view.currentEpoch(STREAM);

            // 2. SIGSTOP the successor for three session timeouts, once it has moved the stream on
            long before = checkpoint(base).map(StateBundle::getLastSequence).orElse(0L);
            await().atMost(Duration.ofSeconds(60)).until(() -> checkpoint(base)
                    .map(s -> s.getEpoch() == secondEpoch && s.getLastSequence() >= before + 60).orElse(false));
            ChildAgent frozen = agents.get(second);
            frozen.freeze();
            await().atMost(Duration.ofSeconds(30)).until(() -> view.assignment(STREAM)
                    .map(x -> !x.agent().equals(second)).orElse(false));
            String third = view.assignment(STREAM).orElseThrow().agent();
            assertThat(third).isNotIn(first, second);
            Thread.sleep(Math.max(0, 3L * SESSION_MS - 2_000));
            frozen.thaw();

            // 3. ZooKeeper gone for 15 s, once the third agent has moved the stream on
            long thirdEpoch = view.currentEpoch(STREAM);
            long before3 = checkpoint(base).map(StateBundle::getLastSequence).orElse(0L);
            await().atMost(Duration.ofSeconds(60)).until(() -> checkpoint(base)
                    .map(s -> s.getEpoch() == thirdEpoch && s.getLastSequence() >= before3 + 60).orElse(false));
            zk.stop();
            Thread.sleep(15_000);
            zk.restart();

            // the whole file, read once (795 frames: the last sequence is 794)
            long frames = frameCount();
            awaitCheckpoint(base, frames - 1, Duration.ofMinutes(3));
            Thread.sleep(3_000); // the last events and checkpoint travel together; a margin for the HTTP view
            watching.set(false);
            watcher.join(5_000);
            resumeWatcher.join(5_000);
            // every owner after the first continued from a checkpoint: none read the file from frame 0
            // again (the ZooKeeper outage expires every session, the coordinator's with the agents')
            assertThat(resumes).as("resumes seen").isNotEmpty();
            assertThat(resumes).filteredOn(r -> r.resumedFrom() == 0)
                    .allSatisfy(r -> assertThat(r.epoch()).as("a restart at frame 0: %s", r).isEqualTo(firstEpoch));
            // the outage expired the owner's session, which drops the state of its streams: the
            // stream was opened again, at or after the checkpoint that was stored before the outage
            assertThat(resumes).filteredOn(r -> r.resumedFrom() > before3 + 60)
                    .as("a resume after the outage from the checkpoint stored before it").isNotEmpty();

            List<JsonNode> stored = new ArrayList<>();
            JSON.readTree(get(base + "/v1/events?stream=" + STREAM + "&limit=10000")).forEach(stored::add);
            Map<String, JsonNode> byId = new TreeMap<>();
            stored.forEach(e -> byId.put(e.get("id").asText(), e));
            assertThat(byId).as("no event id stored twice").hasSameSizeAs(stored);

            Map<String, Event> want = reference(def, view, frames);
            assertThat(want).as("the reference decides something").isNotEmpty();
            assertThat(byId.keySet()).isEqualTo(want.keySet());
            for (Map.Entry<String, Event> e : want.entrySet()) {
                JsonNode got = byId.get(e.getKey());
                Event ref = e.getValue();
                assertThat(got.get("type").asText()).as(e.getKey()).isEqualTo(ref.getType());
                assertThat(got.get("frame").asLong()).as(e.getKey()).isEqualTo(ref.getSourceIndex());
                assertThat(got.get("time_ms").asLong()).as(e.getKey()).isEqualTo(ref.getTimeUs() / 1000);
                Map<String, String> attrs = new TreeMap<>();
                got.get("attributes").properties().forEach(f -> attrs.put(f.getKey(), f.getValue().asText()));
                assertThat(attrs).as(e.getKey()).isEqualTo(new TreeMap<>(ref.getAttributesMap()));
            }
            Map<String, Long> totals = new TreeMap<>();
            JSON.readTree(get(base + "/v1/streams/" + STREAM + "/totals")).get("totals").properties()
                    .forEach(f -> totals.put(f.getKey(), f.getValue().asLong()));
            assertThat(totals).isEqualTo(lineTotals(want.values())).isNotEmpty();
            assertThat(decreases).as("a stored total went down").isEmpty();
            view.close();
        } finally {
            watching.set(false);
            zk.close();
        }
    }

    /** The same file through the agent pipeline in this JVM: the events an uninterrupted run decides. */
    static Map<String, Event> reference(StreamDefinition def, ClusterView view, long frames) throws Exception {
        Map<String, Event> out = new LinkedHashMap<>();
        try (InProcessPipeline p = InProcessPipeline.create(AgentConfig.builder().workers(1).warmup(false).build());
             FrameSource src = Sources.open(def.source(), false)) {
            VideoFrame f;
            for (long seq = 0; seq < frames && (f = src.next()) != null; seq++) {
                FrameResult r = p.pipeline().process(ManagedFrames.request(def, view.defaults().value(),
                        view.config(def.id()).value(), view.configVersion(def.id()), f, seq, false, 0, 0), System.nanoTime());
                for (TaskResult t : r.getTasksList()) {
                    t.getEventsList().forEach(e -> out.put(e.getId(), e));
                }
            }
        }
        return out;
    }

    static Map<String, Long> lineTotals(Iterable<Event> events) {
        Map<String, Long> out = new TreeMap<>();
        for (Event e : events) {
            if (e.getType().equals("crossing")) {
                out.merge(e.getAttributesMap().get("line") + "." + e.getAttributesMap().get("direction"), 1L, Long::sum);
            }
        }
        return out;
    }

    static long frameCount() throws Exception {
        long n = 0;
        try (FrameSource src = Sources.open(TestAssets.vtest().toString(), false)) {
            while (src.next() != null) {
                n++;
            }
        }
        return n;
    }

    /** Polls the stored totals while faults happen: none may ever go down. */
    void watchTotals(String base, AtomicBoolean watching, List<String> decreases) {
        Map<String, Long> last = new TreeMap<>();
        while (watching.get()) {
            try {
                JSON.readTree(get(base + "/v1/streams/" + STREAM + "/totals")).get("totals").properties().forEach(f -> {
                    long v = f.getValue().asLong();
                    Long was = last.put(f.getKey(), v);
                    if (was != null && v < was) {
                        decreases.add(f.getKey() + ": " + was + " -> " + v);
                    }
                });
                Thread.sleep(250);
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                // the coordinator may be briefly unable to answer while ZooKeeper is gone
            }
        }
    }

    /** Records each running owner's report: where it continued the stream from. */
    static void watchResumes(ClusterView view, AtomicBoolean watching, Set<ManagedStatus> resumes) {
        while (watching.get()) {
            view.managedStatus(STREAM).filter(st -> st.state() == ManagedState.RUNNING)
                    .ifPresent(st -> resumes.add(new ManagedStatus(st.agent(), st.epoch(), st.state(), null, 0, 0, 0,
                            st.resumedFrom())));
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    void awaitCheckpoint(String base, long sequence, Duration within) {
        await().atMost(within).pollInterval(Duration.ofMillis(250)).until(() -> checkpoint(base)
                .map(s -> s.getHasLastSequence() && s.getLastSequence() >= sequence).orElse(false));
    }

    Optional<StateBundle> checkpoint(String base) {
        try {
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/streams/" + STREAM + "/state"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofByteArray());
            return r.statusCode() == 200 ? Optional.of(StateBundle.parseFrom(r.body())) : Optional.empty();
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    String get(String url) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(url + ": " + r.body()).isEqualTo(200);
        return r.body();
    }
}
