package io.argus.coordinator.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.argus.coordinator.Coordinator;
import io.argus.coordinator.CoordinatorConfig;
import io.argus.testing.TestAssets;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hardening issue's attack on a real gateway: configurations and image requests with a
 * 100,000-point zone. They took 200 s each to be checked (quadratic), and two of them stalled
 * {@code /healthz} for 13 s. Now they are refused from the length of the text, as 400s, and the
 * gateway stays responsive.
 */
class HugeShapeGatewayTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static TestingServer zk;
    static Coordinator coordinator;
    static HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        zk = new TestingServer(new InstanceSpec(null, -1, -1, -1, true, -1, 500, -1, Map.of()), true);
        coordinator = Coordinator.start(CoordinatorConfig.builder().id("huge-c1").zkConnect(zk.getConnectString())
                .httpPort(0).dataDir(dir.resolve("c1")).build());
    }

    @AfterAll
    static void stop() throws Exception {
        coordinator.close();
        zk.close();
    }

    /** A simple polygon of n points on a circle: valid in every way but its size. */
    static String zone(int n) {
        StringBuilder b = new StringBuilder("big:");
        for (int i = 0; i < n; i++) {
            double a = 2 * Math.PI * i / n;
            b.append(i == 0 ? "" : ",").append(Math.round(5000 + 4000 * Math.cos(a))).append(',')
                    .append(Math.round(5000 + 4000 * Math.sin(a)));
        }
        return b.toString();
    }

    static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + coordinator.httpPort() + path);
    }

    @Test
    void twoHugeZoneConfigurationsAreRefusedAndHealthStaysPrompt() throws Exception {
        String body = "{\"tasks\":{\"people\":{\"zones\":\"" + zone(100_000) + "\"}}}";
        long t0 = System.nanoTime();
        List<CompletableFuture<HttpResponse<String>>> puts = List.of(
                http.sendAsync(HttpRequest.newBuilder(uri("/v1/streams/huge1/config")).timeout(Duration.ofSeconds(60))
                        .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body)).build(),
                        HttpResponse.BodyHandlers.ofString()),
                http.sendAsync(HttpRequest.newBuilder(uri("/v1/streams/huge2/config")).timeout(Duration.ofSeconds(60))
                        .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body)).build(),
                        HttpResponse.BodyHandlers.ofString()));
        long h0 = System.nanoTime();
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(uri("/healthz")).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        long healthMs = (System.nanoTime() - h0) / 1_000_000;
        assertThat(health.statusCode()).isEqualTo(200);
        for (CompletableFuture<HttpResponse<String>> f : puts) {
            HttpResponse<String> r = f.get();
            assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
            assertThat(JSON.readTree(r.body()).at("/error/code").asText()).isEqualTo("BAD_REQUEST");
            assertThat(r.body()).contains("maxSpecChars");
        }
        long refusedMs = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("HUGE-ZONE gateway: two 100,000-point config PUTs (%d bytes each) refused in %d ms; /healthz in %d ms%n",
                body.length(), refusedMs, healthMs);
        // the old behaviour: 200 s per PUT, /healthz 13 s; generous bounds for a loaded CI machine
        assertThat(refusedMs).isLessThan(30_000);
        assertThat(healthMs).isLessThan(5_000);
    }

    @Test
    void zonesOverThePointBoundAreRefusedNamingIt() throws Exception {
        String body = "{\"tasks\":{\"people\":{\"zones\":\"" + zone(257) + "\"}}}";
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("/v1/streams/many/config"))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(r.body()).contains("257 points").contains("maxZonePoints");
        String ok = "{\"tasks\":{\"people\":{\"zones\":\"" + zone(256) + "\"}}}";
        HttpResponse<String> accepted = http.send(HttpRequest.newBuilder(uri("/v1/streams/many/config"))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(ok)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
    }

    @Test
    void anImageRequestWithAHugeZoneIsRefusedOffTheEventLoop() throws Exception {
        byte[] photo = Files.readAllBytes(TestAssets.file("images/faces/messi5.jpg"));
        String body = "{\"image_base64\":\"" + Base64.getEncoder().encodeToString(photo)
                + "\",\"tasks\":[\"people\"],\"params\":{\"people\":{\"zones\":\"" + zone(100_000) + "\"}}}";
        long t0 = System.nanoTime();
        CompletableFuture<HttpResponse<String>> image = http.sendAsync(HttpRequest.newBuilder(uri("/v1/images"))
                .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json").header("X-Client-Id", "huge")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(uri("/healthz")).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        HttpResponse<String> r = image.get();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("HUGE-ZONE gateway: /v1/images with a 100,000-point zone refused in %d ms%n", ms);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(r.body()).contains("maxSpecChars");
        assertThat(ms).isLessThan(30_000);
    }
}
