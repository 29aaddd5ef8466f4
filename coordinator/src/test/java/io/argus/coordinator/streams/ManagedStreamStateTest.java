package io.argus.coordinator.streams;

import com.fasterxml.jackson.databind.JsonNode;
import io.argus.agent.AgentConfig;
import io.argus.agent.NodeAgent;
import io.argus.agent.managed.ManagedRetryConfig;
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

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A managed stream says what it does, on a real coordinator, agent and ZooKeeper: a source that
 * cannot be there is refused when it is added; one the coordinator cannot judge is accepted, and
 * its agent's state (running, retrying with the last error and the next attempt, failed,
 * finished) reaches {@code /v1/streams}, {@code /v1/streams/{id}} and {@code /metrics}.
 */
class ManagedStreamStateTest {
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void missingAndEmptyFilesAreRefusedWhenAddedAndEveryStreamShowsItsAgentsState(@TempDir Path dir) throws Exception {
        Path media = Files.createDirectories(dir.resolve("media"));
        Path notVideo = Files.writeString(media.resolve("notes.avi"), "text that FFmpeg cannot read as video");
        Files.createFile(media.resolve("empty.avi"));
        // short pauses so that the agent gives the recording up within seconds: 300 ms, 600 ms, failed
        ManagedRetryConfig retry = ManagedRetryConfig.builder().initialMs(300).maxMs(600).failAfter(3).build();
        try (TestingServer zk = new TestingServer(true);
             NodeAgent agent = NodeAgent.start(AgentConfig.builder().agentId("state-agent").zkConnect(zk.getConnectString())
                     .workers(1).managedRetry(retry).build());
             Coordinator c = Coordinator.start(CoordinatorConfig.builder().id("state-c").zkConnect(zk.getConnectString())
                     .httpPort(0).dataDir(dir.resolve("c")).build());
             CuratorFramework admin = ZkClients.newClient(zk.getConnectString())) {
            admin.start();
            SourcePolicies.write(admin, ZkPaths.defaults(),
                    SourcePolicy.DEFAULT.withMediaRoot(TestAssets.root()).withMediaRoot(media));
            String base = "http://127.0.0.1:" + c.httpPort();

            // 1. refused when added: the media root is on this machine, so the coordinator can look
            HttpResponse<String> missing = register(base, "ghost", media.resolve("no-such.avi").toString(), false);
            assertThat(missing.statusCode()).as(missing.body()).isEqualTo(400);
            assertThat(error(missing).path("code").asText()).isEqualTo("SOURCE_NOT_FOUND");
            assertThat(error(missing).path("message").asText()).contains("check that the path exists");
            HttpResponse<String> empty = register(base, "hollow", media.resolve("empty.avi").toString(), false);
            assertThat(empty.statusCode()).as(empty.body()).isEqualTo(400);
            assertThat(error(empty).path("code").asText()).isEqualTo("SOURCE_NOT_VIDEO");
            assertThat(get(base + "/v1/streams").body()).as("nothing was registered").doesNotContain("ghost", "hollow");

            // 2. accepted (a file that is there and readable), but not video: the agent finds out
            assertThat(register(base, "bad", notVideo.toString(), false).statusCode()).isEqualTo(200);
            assertThat(register(base, "lobby", TestAssets.vtestSource(), true).statusCode()).isEqualTo(200);
            assertThat(register(base, "photo", TestAssets.root().resolve("images/faces").toRealPath().toString(), false).statusCode())
                    .isEqualTo(200);

            Set<String> seenBad = ConcurrentHashMap.newKeySet();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
                JsonNode s = json(get(base + "/v1/streams/bad"));
                seenBad.add(s.path("state").asText());
                if (s.path("state").asText().equals("retrying")) {
                    assertThat(s.path("last_error").asText()).startsWith("cannot open " + notVideo + ": ")
                            .contains("check that it is a video format FFmpeg can open")
                            .doesNotContain("setFormat");
                    assertThat(s.path("next_attempt_at_ms").asLong()).isPositive();
                    assertThat(s.path("agent").asText()).isEqualTo("state-agent");
                }
                return s.path("state").asText().equals("failed");
            });
            assertThat(seenBad).as("states seen while polling").contains("retrying", "failed");
            JsonNode bad = json(get(base + "/v1/streams/bad"));
            assertThat(bad.path("failures").asInt()).isEqualTo(3);
            assertThat(bad.path("last_error").asText()).startsWith("cannot open " + notVideo);
            assertThat(bad.path("next_attempt_at_ms").isNull()).as("given up: no next attempt").isTrue();

            await().atMost(Duration.ofSeconds(30)).until(() -> states(base).equals(
                    Map.of("bad", "failed", "lobby", "running", "photo", "finished")));
            String metrics = get(base + "/metrics").body();
            assertThat(metrics).contains("argus_managed_streams{coordinator=\"state-c\",state=\"running\"} 1.0")
                    .contains("argus_managed_streams{coordinator=\"state-c\",state=\"failed\"} 1.0")
                    .contains("argus_managed_streams{coordinator=\"state-c\",state=\"finished\"} 1.0")
                    .contains("argus_managed_streams{coordinator=\"state-c\",state=\"retrying\"} 0.0")
                    .contains("argus_managed_streams{coordinator=\"state-c\",state=\"starting\"} 0.0");

            // 3. added again (a new definition): the agent tries afresh, and fails afresh
            assertThat(register(base, "bad", notVideo.toString(), false).statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                    .until(() -> !json(get(base + "/v1/streams/bad")).path("state").asText().equals("failed"));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> json(get(base + "/v1/streams/bad")).path("state").asText().equals("failed"));

            // 4. the agent gone: its reports go with its session, and the streams are starting again
            agent.close();
            await().atMost(Duration.ofSeconds(30)).until(() -> states(base).values().stream()
                    .allMatch("starting"::equals));
            assertThat(json(get(base + "/v1/streams/lobby")).path("state_detail").asText())
                    .isEqualTo("waiting for an agent that can run its tasks");
        }
    }

    static Map<String, String> states(String base) throws Exception {
        Map<String, String> out = new java.util.TreeMap<>();
        for (JsonNode s : json(get(base + "/v1/streams"))) {
            out.put(s.path("id").asText(), s.path("state").asText());
        }
        return out;
    }

    static HttpResponse<String> register(String base, String id, String source, boolean loop) throws Exception {
        String body = ClusterJson.MAPPER.writeValueAsString(Map.of("id", id, "source", source, "loop", loop,
                "tasks", List.of("color")));
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + "/v1/streams"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return ClusterJson.MAPPER.readTree(r.body());
    }

    static JsonNode error(HttpResponse<String> r) throws Exception {
        return json(r).path("error");
    }
}
