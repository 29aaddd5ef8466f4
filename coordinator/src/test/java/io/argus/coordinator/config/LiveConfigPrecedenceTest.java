package io.argus.coordinator.config;

import io.argus.agent.AgentConfig;
import io.argus.agent.NodeAgent;
import io.argus.cluster.SourcePolicies;
import io.argus.cluster.SourcePolicy;
import io.argus.cluster.ZkClients;
import io.argus.cluster.ZkPaths;
import io.argus.coordinator.Coordinator;
import io.argus.coordinator.CoordinatorConfig;
import io.argus.protocol.client.AgentConnection;
import io.argus.protocol.client.ClientOptions;
import io.argus.protocol.client.ConnectionListener;
import io.argus.protocol.v1.FrameResult;
import io.argus.protocol.v1.Preview;
import io.argus.protocol.v1.Role;
import io.argus.protocol.v1.Subscribe;
import io.argus.protocol.v1.TaskResult;
import io.argus.testing.TestAssets;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Central configuration is the operator's latest word: a line added with
 * {@code PUT /v1/streams/{id}/config} reaches a managed stream created with a line of its own,
 * live, on a real coordinator, agent and ZooKeeper. Before, the stream's creation-time {@code lines}
 * won the merge, so the PUT answered 200, bumped the version and changed nothing.
 */
class LiveConfigPrecedenceTest {
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void aLineAddedThroughCentralConfigurationReachesAStreamCreatedWithItsOwnLine(@TempDir Path dir) throws Exception {
        MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try (TestingServer zk = new TestingServer(true);
             NodeAgent agent = NodeAgent.start(AgentConfig.builder().agentId("cfg-agent").zkConnect(zk.getConnectString())
                     .workers(1).build());
             Coordinator c = Coordinator.start(CoordinatorConfig.builder().id("cfg-c").zkConnect(zk.getConnectString())
                     .httpPort(0).dataDir(dir.resolve("c")).build());
             CuratorFramework admin = ZkClients.newClient(zk.getConnectString())) {
            admin.start();
            SourcePolicies.write(admin, ZkPaths.defaults(), SourcePolicy.DEFAULT.withMediaRoot(TestAssets.root()));
            String base = "http://127.0.0.1:" + c.httpPort();

            // as `argus stream add lobby --url vtest.avi --tasks people --line door:...`
            HttpResponse<String> reg = send("POST", base + "/v1/streams", "{\"id\":\"lobby\",\"source\":\""
                    + TestAssets.vtestSource() + "\",\"loop\":true,\"tasks\":[{\"name\":\"people\","
                    + "\"params\":{\"lines\":\"door:384,0,384,576\"}}]}");
            assertThat(reg.statusCode()).as(reg.body()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(20)).until(() -> agent.managedStreams().contains("lobby"));

            List<FrameResult> seen = new CopyOnWriteArrayList<>();
            AgentConnection viewer = AgentConnection.connect(new InetSocketAddress("127.0.0.1", agent.port()),
                    ClientOptions.builder(group).clientId("cfg-test").role(Role.ROLE_VIEWER).build(),
                    new ConnectionListener() {
                        @Override
                        public void onPreview(AgentConnection from, Preview p) {
                            seen.add(p.getResult());
                        }
                    }).get(5, TimeUnit.SECONDS);
            viewer.subscribe(Subscribe.newBuilder().setStreamId("lobby").build());
            await().atMost(Duration.ofSeconds(30)).until(() -> seen.stream().anyMatch(r -> hasLine(r, "door")));
            assertThat(seen).as("no configuration yet: the stream's own line only")
                    .noneMatch(r -> hasLine(r, "exit"));

            // the operator adds a line centrally, keeping the first
            long putAt = System.nanoTime();
            HttpResponse<String> put = send("PUT", base + "/v1/streams/lobby/config",
                    "{\"tasks\":{\"people\":{\"lines\":\"door:384,0,384,576;exit:0,300,768,300\"}}}");
            assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
            assertThat(put.body()).contains("\"version\":0");

            await().atMost(Duration.ofSeconds(10)).until(() -> c.view().config("lobby").version() == 0);
            long v0 = c.view().configVersion("lobby"); // what a result computed with version 0 carries
            await().atMost(Duration.ofSeconds(30)).until(() -> seen.stream().anyMatch(r -> hasLine(r, "exit")));
            FrameResult after = seen.stream().filter(r -> hasLine(r, "exit")).findFirst().orElseThrow();
            // measured, not asserted: from the PUT to the first result with the new line
            System.out.printf("new line in the results %d ms after the PUT%n", (System.nanoTime() - putAt) / 1_000_000);
            assertThat(hasLine(after, "door")).as("the first line is kept: the configuration names it too").isTrue();
            assertThat(after.getConfigVersion()).as("computed with the configuration just written").isEqualTo(v0);

            // the key is the unit: a configuration that names only the new line replaces the stream's own
            HttpResponse<String> put2 = send("PUT", base + "/v1/streams/lobby/config",
                    "{\"tasks\":{\"people\":{\"lines\":\"exit:0,300,768,300\"}}}");
            assertThat(put2.statusCode()).as(put2.body()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(10)).until(() -> c.view().config("lobby").version() == 1);
            long version1 = c.view().configVersion("lobby");
            assertThat(version1).isNotEqualTo(v0);
            await().atMost(Duration.ofSeconds(30)).until(() -> seen.stream().anyMatch(r -> r.getConfigVersion() == version1));
            FrameResult v1 = seen.stream().filter(r -> r.getConfigVersion() == version1).findFirst().orElseThrow();
            assertThat(hasLine(v1, "exit")).isTrue();
            assertThat(hasLine(v1, "door")).as("the configuration's lines replace the stream's own").isFalse();
            viewer.close();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    static boolean hasLine(FrameResult r, String line) {
        for (TaskResult t : r.getTasksList()) {
            if (t.getTask().equals("people") && t.getNumbersMap().containsKey("line." + line + ".in")) {
                return true;
            }
        }
        return false;
    }

    static HttpResponse<String> send(String method, String url, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
