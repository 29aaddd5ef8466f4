package io.argus.coordinator.security;

import com.sun.net.httpserver.HttpServer;
import io.argus.agent.AgentConfig;
import io.argus.agent.NodeAgent;
import io.argus.coordinator.Coordinator;
import io.argus.coordinator.CoordinatorConfig;
import io.argus.cluster.Assignment;
import io.argus.cluster.ClusterJson;
import io.argus.cluster.StreamDefinition;
import io.argus.cluster.ZkClients;
import io.argus.cluster.ZkPaths;
import io.argus.testing.TestAssets;
import io.argus.cluster.SourcePolicy;
import io.argus.cluster.SourcePolicies;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The probe's attacks on managed-stream sources, against a real coordinator, agent and ZooKeeper:
 * an agent made to fetch a loopback URL (SSRF), and a local file read back through a stream.
 */
class ManagedSourceAllowListTest {
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void sourcesOutsideTheAdministratorsAllowListAreRefusedAtCreationAndNeverOpened(@TempDir Path dir) throws Exception {
        AtomicInteger fetched = new AtomicInteger();
        HttpServer victim = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        victim.createContext("/", ex -> {
            fetched.incrementAndGet();
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        victim.start();
        String ssrf = "http://127.0.0.1:" + victim.getAddress().getPort() + "/admin";
        Path secret = Files.writeString(dir.resolve("secret.txt"), "not for you");
        try (TestingServer zk = new TestingServer(true);
             NodeAgent agent = NodeAgent.start(AgentConfig.builder().agentId("src-agent").zkConnect(zk.getConnectString())
                     .workers(1).build());
             Coordinator c = Coordinator.start(CoordinatorConfig.builder().id("src-c").zkConnect(zk.getConnectString())
                     .httpPort(0).dataDir(dir.resolve("c")).build());
             CuratorFramework admin = ZkClients.newClient(zk.getConnectString())) {
            admin.start();
            // with no policy stored nothing is allowed, the bundled footage included
            for (String source : List.of(ssrf, secret.toString(), "camera:0", TestAssets.vtestSource(),
                    "concat:" + TestAssets.vtestSource() + "|" + secret, "rtsp://127.0.0.1:554/x")) {
                HttpResponse<String> r = register(c, "s1", source);
                assertThat(r.statusCode()).as(source + ": " + r.body()).isEqualTo(400);
                assertThat(r.body()).contains("SOURCE_NOT_ALLOWED");
            }
            assertThat(admin.checkExists().forPath(ZkPaths.defaults().stream("s1"))).as("nothing was registered").isNull();

            SourcePolicies.write(admin, ZkPaths.defaults(), SourcePolicy.DEFAULT.withMediaRoot(TestAssets.root()));
            assertThat(register(c, "s1", ssrf).statusCode()).isEqualTo(400);
            assertThat(register(c, "s1", secret.toString()).statusCode()).as("outside the media root").isEqualTo(400);
            assertThat(register(c, "s1", TestAssets.root().toRealPath() + "/../../../" + secret).statusCode())
                    .as("climbing out with ..").isEqualTo(400);
            HttpResponse<String> ok = register(c, "s1", TestAssets.vtestSource());
            assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);

            // a definition written past the coordinator (by anyone who can write the node) still
            // gets no further than the agent's own check: the URL is never fetched
            long now = System.currentTimeMillis();
            ZkPaths paths = ZkPaths.defaults();
            admin.create().creatingParentsIfNeeded().forPath(paths.stream("forged"), ClusterJson.write(new StreamDefinition(
                    "forged", "coordinator", StreamDefinition.MANAGED,
                    List.of(new StreamDefinition.TaskSpec("color", Map.of())), ssrf, true, now, 0, 0)));
            admin.create().creatingParentsIfNeeded().forPath(paths.assignment("forged"),
                    ClusterJson.write(new Assignment("src-agent", "test", now, "test")));
            await().atMost(Duration.ofSeconds(10)).until(() -> agent.managedStreams().contains("forged"));
            Thread.sleep(3_000); // the runner's first attempt and its first retry (1 s) have passed
            assertThat(fetched.get()).as("the agent fetched the forged URL").isZero();
        } finally {
            victim.stop(0);
        }
    }

    static HttpResponse<String> register(Coordinator c, String id, String source) throws Exception {
        String body = ClusterJson.MAPPER.writeValueAsString(Map.of("id", id, "source", source, "tasks", List.of("color")));
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + c.httpPort() + "/v1/streams"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
