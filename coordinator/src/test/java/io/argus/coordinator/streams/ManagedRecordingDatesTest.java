package io.argus.coordinator.streams;

import com.fasterxml.jackson.databind.JsonNode;
import io.argus.agent.AgentConfig;
import io.argus.agent.NodeAgent;
import io.argus.cluster.ClusterJson;
import io.argus.cluster.SourcePolicies;
import io.argus.cluster.SourcePolicy;
import io.argus.cluster.ZkClients;
import io.argus.cluster.ZkPaths;
import io.argus.coordinator.Coordinator;
import io.argus.coordinator.CoordinatorConfig;
import io.argus.testing.TestAssets;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.argus.coordinator.streams.ManagedStreamStateTest.HTTP;
import static io.argus.coordinator.streams.ManagedStreamStateTest.error;
import static io.argus.coordinator.streams.ManagedStreamStateTest.get;
import static io.argus.coordinator.streams.ManagedStreamStateTest.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A managed recording registered with its start ({@code recorded_at}) has its events dated on the
 * recording's clock in the durable record, on a real coordinator, agent and ZooKeeper, with the
 * people task on real footage: the first 15 s of vtest.avi (10 frames/s), cut by the ffmpeg command.
 */
class ManagedRecordingDatesTest {
    static final Instant START = Instant.parse("2026-12-06T22:00:00Z");

    @Test
    void aRecordingsCrossingsAreDatedItsStartPlusTheirFramesTime(@TempDir Path dir) throws Exception {
        Path media = Files.createDirectories(dir.resolve("media"));
        Path clip = media.resolve("night.avi");
        ffmpeg(dir, "-i", TestAssets.vtest().toString(), "-frames:v", "150", "-c", "copy", clip.toString());
        try (TestingServer zk = new TestingServer(true);
             NodeAgent agent = NodeAgent.start(AgentConfig.builder().agentId("dates-agent").zkConnect(zk.getConnectString())
                     .workers(1).build());
             Coordinator c = Coordinator.start(CoordinatorConfig.builder().id("dates-c").zkConnect(zk.getConnectString())
                     .httpPort(0).dataDir(dir.resolve("c")).build());
             CuratorFramework admin = ZkClients.newClient(zk.getConnectString())) {
            admin.start();
            SourcePolicies.write(admin, ZkPaths.defaults(), SourcePolicy.DEFAULT.withMediaRoot(media));
            String base = "http://127.0.0.1:" + c.httpPort();

            // refused: a start with loop, in the future, or not a time; nothing registered
            assertThat(error(register(base, "x", clip, true, START.toString())).path("message").asText()).contains("loop");
            assertThat(register(base, "x", clip, false, "2099-01-01T00:00:00Z").statusCode()).isEqualTo(400);
            assertThat(error(register(base, "x", clip, false, "last night")).path("message").asText())
                    .contains("ISO-8601");
            assertThat(get(base + "/v1/streams").body()).doesNotContain("\"x\"");

            HttpResponse<String> added = register(base, "night", clip, false, "2026-12-06T23:00:00+01:00");
            assertThat(added.statusCode()).as(added.body()).isEqualTo(200);
            assertThat(json(added).path("recorded_at").asText()).isEqualTo(START.toString());
            // the coordinator's view of the stream follows ZooKeeper's watch: a moment later
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    json(get(base + "/v1/streams/night")).path("recorded_at").asText().equals(START.toString()));
            await().atMost(Duration.ofSeconds(90)).until(() ->
                    json(get(base + "/v1/streams/night")).path("state").asText().equals("finished"));

            // within the recording's first 15 s on its own clock, each at its frame's time
            long fromMs = START.toEpochMilli();
            JsonNode crossings = await().atMost(Duration.ofSeconds(30)).until(() -> json(get(base
                    + "/v1/events?stream=night&type=crossing&from=" + fromMs + "&to=" + (fromMs + 15_000))), a -> a.size() > 0);
            for (JsonNode e : crossings) {
                assertThat(e.path("time_ms").asLong()).as("%s", e.path("id")).isEqualTo(fromMs + e.path("frame").asLong() * 100);
            }
            JsonNode all = json(get(base + "/v1/events?stream=night&type=crossing"));
            assertThat(all.size()).as("every crossing stored is on the recording's clock").isEqualTo(crossings.size());
        }
    }

    static HttpResponse<String> register(String base, String id, Path source, boolean loop, String recordedAt) throws Exception {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", id);
        body.put("source", source.toRealPath().toString());
        body.put("loop", loop);
        body.put("recorded_at", recordedAt);
        body.put("tasks", List.of(Map.of("name", "people", "params", Map.of("lines", "mid:384,0,384,576"))));
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + "/v1/streams")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(ClusterJson.MAPPER.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void ffmpeg(Path dir, String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of("ffmpeg", "-v", "error", "-y"));
        cmd.addAll(List.of(args));
        Path log = dir.resolve("ffmpeg.log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IOException("ffmpeg failed: " + Files.readString(log));
        }
    }
}
