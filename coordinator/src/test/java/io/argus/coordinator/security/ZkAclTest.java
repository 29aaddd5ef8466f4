package io.argus.coordinator.security;

import io.argus.agent.AgentConfig;
import io.argus.agent.NodeAgent;
import io.argus.coordinator.Coordinator;
import io.argus.coordinator.CoordinatorConfig;
import io.argus.cluster.AgentDirectory;
import io.argus.cluster.ZkClients;
import io.argus.cluster.ZkCredentials;
import io.argus.cluster.ZkPaths;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.ACL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Digest ACLs on everything Argus writes to ZooKeeper: an anonymous client (or one with the wrong
 * password) can read the cluster but can neither register a fake agent, nor remove a real one,
 * nor change a line, nor write an assignment.
 */
class ZkAclTest {
    @TempDir
    Path dir;

    @Test
    void onlyClusterCredentialsCanWrite() throws Exception {
        ZkCredentials creds = ZkCredentials.parse("argus:correct-horse");
        ZkPaths paths = ZkPaths.defaults();
        try (TestingServer zk = new TestingServer(true);
             NodeAgent agent = NodeAgent.start(AgentConfig.builder().agentId("acl-agent").zkConnect(zk.getConnectString())
                     .workers(1).zkCredentials(creds).build());
             Coordinator coordinator = Coordinator.start(CoordinatorConfig.builder().id("acl-c1")
                     .zkConnect(zk.getConnectString()).httpPort(0).dataDir(dir).zkCredentials(creds).build());
             CuratorFramework anonymous = ZkClients.newClient(zk.getConnectString());
             CuratorFramework wrong = ZkClients.newClient(zk.getConnectString(), 6_000,
                     ZkCredentials.parse("argus:guess"))) {
            anonymous.start();
            wrong.start();
            assertThat(anonymous.blockUntilConnected(10, TimeUnit.SECONDS)).isTrue();
            assertThat(wrong.blockUntilConnected(10, TimeUnit.SECONDS)).isTrue();

            // the coordinator writes a line through its API
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                            + coordinator.httpPort() + "/v1/streams/door-cam/config"))
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"tasks\":{\"people\":{\"lines\":\"door:384,0,384,576\"}}}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(put.statusCode()).isEqualTo(200);

            // anyone may read: consoles and `watch` need no credentials
            try (AgentDirectory dirView = new AgentDirectory(anonymous, paths).start()) {
                await().atMost(Duration.ofSeconds(10)).until(() -> dirView.agent("acl-agent").isPresent());
            }
            String config = new String(anonymous.getData().forPath(paths.streamConfig("door-cam")), StandardCharsets.UTF_8);
            assertThat(config).contains("door:384,0,384,576");
            List<ACL> acl = anonymous.getACL().forPath(paths.streamConfig("door-cam"));
            assertThat(acl).extracting(a -> a.getId().getScheme()).containsExactlyInAnyOrder("digest", "world");

            String agentNode = paths.agents() + "/" + ZkPaths.AGENT_SERVICE + "/acl-agent";
            for (CuratorFramework intruder : List.of(anonymous, wrong)) {
                assertThatThrownBy(() -> intruder.create().forPath(paths.agents() + "/" + ZkPaths.AGENT_SERVICE + "/fake",
                        "{\"address\":\"10.6.6.6\"}".getBytes(StandardCharsets.UTF_8)))
                        .as("register a fake agent").isInstanceOf(KeeperException.NoAuthException.class);
                assertThatThrownBy(() -> intruder.delete().forPath(agentNode))
                        .as("remove a real agent").isInstanceOf(KeeperException.NoAuthException.class);
                assertThatThrownBy(() -> intruder.setData().forPath(paths.streamConfig("door-cam"),
                        "{\"tasks\":{\"people\":{\"lines\":\"door:0,0,1,1\"}}}".getBytes(StandardCharsets.UTF_8)))
                        .as("change a line").isInstanceOf(KeeperException.NoAuthException.class);
                assertThatThrownBy(() -> intruder.create().creatingParentsIfNeeded().forPath(paths.assignment("door-cam"),
                        "acl-agent".getBytes(StandardCharsets.UTF_8)))
                        .as("write an assignment").isInstanceOf(KeeperException.NoAuthException.class);
            }
            // nothing changed
            assertThat(new String(anonymous.getData().forPath(paths.streamConfig("door-cam")), StandardCharsets.UTF_8))
                    .isEqualTo(config);
            assertThat(anonymous.checkExists().forPath(paths.agents() + "/" + ZkPaths.AGENT_SERVICE + "/fake")).isNull();
        }
    }
}
