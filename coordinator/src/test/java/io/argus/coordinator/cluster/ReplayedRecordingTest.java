package io.argus.coordinator.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.argus.cluster.ClusterView;
import io.argus.cluster.SourcePolicies;
import io.argus.cluster.SourcePolicy;
import io.argus.cluster.StreamDefinition;
import io.argus.cluster.ZkClients;
import io.argus.cluster.ZkPaths;
import io.argus.coordinator.Coordinator;
import io.argus.coordinator.CoordinatorConfig;
import io.argus.media.segment.KeyframeIndex;
import io.argus.media.segment.Segment;
import io.argus.media.segment.SegmentConfig;
import io.argus.media.segment.SegmentPlan;
import io.argus.protocol.v1.StateBundle;
import io.argus.testing.ChildAgent;
import io.argus.testing.TestAssets;
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
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 21's managed recording ({@code stream add --replay}) on real footage, real ZooKeeper and
 * two agent processes: vtest.avi replayed in three segments cut at its keyframes (250 and 500),
 * the agent running the first segment SIGKILLed once a checkpoint of it is stored.
 *
 * <p>The verdict: the totals stored under the recording's name equal those of an uninterrupted
 * serial run of the file through the agent pipeline in this JVM, within the tolerance of
 * {@code AnalyzeParallelTest} (one crossing per 1,000 frames per line and direction, for a person
 * whose track a segment's fresh tracker begins in the warm-up and confirms only after the
 * boundary); every stored crossing is dated on the recording's clock (the given start plus its
 * frame at 10 frames/s) and was recorded by the segment that owns its frame, once.
 */
class ReplayedRecordingTest {
    static final int SESSION_MS = 3_000;
    static final String LINE = "mid:384,0,384,576";
    static final Instant START = Instant.parse("2026-12-06T22:00:00Z");
    static final ObjectMapper JSON = new ObjectMapper();
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void aReplayInThreeSegmentsRecordsTheSerialRunsTotalsUnderItsNameDespiteAKilledAgent(@TempDir Path dir) throws Exception {
        Path zkData = Files.createDirectories(dir.resolve("zk"));
        // tickTime 200 ms: sessions of 3 s are allowed, and expire within a tick of their timeout
        TestingServer zk = new TestingServer(new InstanceSpec(zkData.toFile(), InstanceSpec.getRandomPort(), -1, -1, false, 1,
                200, -1, Map.of()), true);
        String connect = zk.getConnectString();
        List<Segment> plan = SegmentPlan.plan(KeyframeIndex.read(TestAssets.vtest().toString()), SegmentConfig.DEFAULT, 3);
        assertThat(plan).hasSize(3);
        try (Coordinator co = Coordinator.start(CoordinatorConfig.builder().id("replay-c").zkConnect(connect).httpPort(0)
                     .dataDir(dir.resolve("c")).build());
             ChildAgent a = ChildAgent.start(connect, "rp-a", "--session-timeout-ms", "" + SESSION_MS);
             ChildAgent b = ChildAgent.start(connect, "rp-b", "--session-timeout-ms", "" + SESSION_MS);
             CuratorFramework curator = ZkClients.newClient(connect, 10_000)) {
            curator.start();
            curator.blockUntilConnected(10, TimeUnit.SECONDS);
            SourcePolicies.write(curator, ZkPaths.defaults(), SourcePolicy.DEFAULT.withMediaRoot(TestAssets.root()));
            ClusterView view = new ClusterView(curator, ZkPaths.defaults()).start();
            String base = "http://127.0.0.1:" + co.httpPort();

            // refused: segments that overlap, or that do not start at frame 0
            assertThat(post(base, body(List.of(new long[] {0, 0, 300}, new long[] {150, 250, 795}))).statusCode()).isEqualTo(400);
            assertThat(post(base, body(List.of(new long[] {0, 10, 795}))).statusCode()).isEqualTo(400);

            ArrayNode segments = JSON.createArrayNode();
            for (Segment s : plan) {
                segments.addObject().put("warm_up_start", s.warmUpStart()).put("start", s.start()).put("end", s.end());
            }
            HttpResponse<String> added = post(base, body(segments));
            assertThat(added.statusCode()).as(added.body()).isEqualTo(200);
            assertThat(JSON.readTree(added.body()).path("segments")).hasSize(3);
            // the coordinator's view follows ZooKeeper's watch: the checks below need it to see the replay
            await().atMost(Duration.ofSeconds(10)).until(() -> json(base + "/v1/streams/night").path("kind").asText().equals("replay")
                    && json(base + "/v1/streams/night.seg2").path("replay").isObject());
            // warm-ups that would more than double the work are refused
            assertThat(post(base, body(List.of(new long[] {0, 0, 10}, new long[] {0, 10, 20}, new long[] {0, 20, 30},
                    new long[] {0, 30, 40}))).statusCode()).isEqualTo(400);

            // the recording's name and its segments are the replay's: not registered again, not
            // taken by a plain stream, not removed one segment at a time, never placed
            assertThat(error(post(base, body(segments)))).contains("exists");
            ObjectNode plain = body(segments);
            plain.remove("replay");
            assertThat(error(post(base, plain))).contains("is a replayed recording");
            assertThat(error(post(base, plain.put("id", "night.seg1")))).contains("is a segment of the replay night");
            HttpResponse<String> one = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/streams/night.seg1")).DELETE().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(one.statusCode()).as(one.body()).isEqualTo(400);
            await().atMost(Duration.ofSeconds(10)).until(() -> view.stream("night").map(StreamDefinition::replayName).orElse(false));

            // SIGKILL the agent running the first segment once a checkpoint of it is stored
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(() -> checkpoint(base, "night.seg0")
                    .map(s -> s.getHasLastSequence() && s.getLastSequence() >= 60).orElse(false));
            String owner = view.assignment("night.seg0").orElseThrow().agent();
            (owner.equals(a.id()) ? a : b).kill();
            await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                for (int k = 0; k < 3; k++) {
                    if (!json(base + "/v1/streams/night.seg" + k).path("state").asText().equals("finished")) {
                        return false;
                    }
                }
                return true;
            });
            assertThat(view.assignment("night.seg0").orElseThrow().agent()).as("seg0 moved").isNotEqualTo(owner);

            Map<String, Long> want = ManagedStreamFaultTest.lineTotals(ManagedStreamFaultTest.reference(
                    serialDefinition(), view, Long.MAX_VALUE).values());
            assertThat(want).isNotEmpty();
            Map<String, Long> stored = new TreeMap<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                stored.clear();
                json(base + "/v1/streams/night/totals").path("totals").properties()
                        .forEach(f -> stored.put(f.getKey(), f.getValue().asLong()));
                return stored.keySet().containsAll(want.keySet());
            });
            System.out.println("replay: stored totals " + stored + ", serial " + want);
            long tolerance = (795 + 999) / 1000;
            want.forEach((key, n) -> assertThat(Math.abs(stored.get(key) - n)).as("%s: stored %s, serial %s", key, stored, want)
                    .isLessThanOrEqualTo(tolerance));

            JsonNode crossings = json(base + "/v1/events?stream=night&type=crossing&limit=1000");
            assertThat((long) crossings.size()).isEqualTo(stored.values().stream().mapToLong(Long::longValue).sum());
            for (JsonNode e : crossings) {
                long frame = e.path("frame").asLong();
                assertThat(e.path("time_ms").asLong()).as("%s", e.path("id")).isEqualTo(START.toEpochMilli() + frame * 100);
                String id = e.path("id").asText();
                int k = Integer.parseInt(id.substring("night.seg".length(), id.indexOf('/')));
                assertThat(plan.get(k).owns(frame)).as("%s recorded by the segment owning frame %d", id, frame).isTrue();
                // each segment numbers its own tracks: the pair (segment, track) names one
                assertThat(e.path("attributes").path("segment").asText()).as("%s", id).isEqualTo(Integer.toString(k));
            }

            assertThat(view.assignment("night")).as("the recording's name is never placed").isEmpty();

            // removing the recording removes its segments; its record stays, so the name is not replayed again
            http.send(HttpRequest.newBuilder(URI.create(base + "/v1/streams/night")).DELETE().build(),
                    HttpResponse.BodyHandlers.ofString());
            await().atMost(Duration.ofSeconds(10)).until(() -> view.streams().keySet().stream().noneMatch(s -> s.startsWith("night"))
                    && http.send(HttpRequest.newBuilder(URI.create(base + "/v1/streams/night")).build(),
                            HttpResponse.BodyHandlers.ofString()).statusCode() == 404);
            assertThat(error(post(base, body(segments)))).contains("already holds events under night");
            view.close();
        } finally {
            zk.close();
        }
    }

    /** The same file as one plain managed stream, for the serial reference. */
    static StreamDefinition serialDefinition() {
        return new StreamDefinition("night", "coordinator", StreamDefinition.MANAGED,
                List.of(new StreamDefinition.TaskSpec("people", Map.of("lines", LINE))), TestAssets.vtestSource(), false,
                START.toEpochMilli(), 0, 0);
    }

    static ObjectNode body(Object segments) {
        ObjectNode b = JSON.createObjectNode().put("id", "night").put("source", TestAssets.vtestSource())
                .put("recorded_at", START.toString());
        b.putArray("tasks").addObject().put("name", "people").putObject("params").put("lines", LINE);
        ArrayNode list = b.putObject("replay").putArray("segments");
        if (segments instanceof ArrayNode a) {
            list.addAll(a);
        } else {
            for (Object o : (List<?>) segments) {
                long[] g = (long[]) o;
                list.addObject().put("warm_up_start", g[0]).put("start", g[1]).put("end", g[2]);
            }
        }
        return b;
    }

    HttpResponse<String> post(String base, ObjectNode body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + "/v1/streams")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(), HttpResponse.BodyHandlers.ofString());
    }

    static String error(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        return JSON.readTree(r.body()).path("error").path("message").asText();
    }

    JsonNode json(String url) throws Exception {
        return JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    Optional<StateBundle> checkpoint(String base, String stream) {
        try {
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/streams/" + stream + "/state"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofByteArray());
            return r.statusCode() == 200 ? Optional.of(StateBundle.parseFrom(r.body())) : Optional.empty();
        } catch (Exception e) {
            return Optional.empty();
        }
    }
}
