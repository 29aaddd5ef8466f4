package io.argus.cli.demo;

import io.argus.agent.AgentConfig;
import io.argus.cluster.AgentDirectory;
import io.argus.cluster.ZkClients;
import io.argus.cluster.ZkCredentials;
import io.argus.cluster.ZkPaths;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The embedded default is closed to other local users: its ZooKeeper requires authentication, the run's
 * random credentials sit in an owner-only file, and a session without them (or with a guessed password)
 * cannot register a fake agent.
 */
class EmbeddedDefaultAuthTest {
    @TempDir
    Path dir;

    @Test
    void anonymousClientCanNeitherReadNorRegisterInTheEmbeddedDefault() throws Exception {
        ZkPaths paths = ZkPaths.defaults();
        String registrations = paths.agents() + "/" + ZkPaths.AGENT_SERVICE;
        try (LocalCluster cluster = LocalCluster.start(1, AgentConfig.builder().warmup(false))) {
            // the credentials file: owner-only, and it holds the credentials the cluster uses
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(cluster.credentialsFile());
            assertThat(PosixFilePermissions.toString(perms)).isEqualTo("rw-------");
            assertThat(ZkCredentials.fromFile(cluster.credentialsFile()).clusterId())
                    .isEqualTo(cluster.credentials().clusterId());
            assertThat(cluster.credentials().toString()).doesNotContain(
                    Files.readString(cluster.credentialsFile()).trim().split(":", 2)[1]);

            // a plain anonymous ZooKeeper session: the server ends it at its first request
            CountDownLatch connected = new CountDownLatch(1);
            ZooKeeper anonymous = new ZooKeeper(cluster.zkConnect(), 6_000, e -> {
                if (e.getState() == Watcher.Event.KeeperState.SyncConnected) {
                    connected.countDown();
                }
            });
            try {
                assertThat(connected.await(10, TimeUnit.SECONDS)).isTrue();
                assertThatThrownBy(() -> anonymous.create(registrations + "/fake",
                        "{\"address\":\"127.0.0.1\"}".getBytes(StandardCharsets.UTF_8), ZooDefs.Ids.OPEN_ACL_UNSAFE,
                        CreateMode.EPHEMERAL)).as("register a fake agent").isInstanceOf(KeeperException.class);
                assertThatThrownBy(() -> anonymous.getChildren(registrations, false))
                        .as("list the agents").isInstanceOf(KeeperException.class);
            } finally {
                anonymous.close();
            }

            // a guessed password passes the server's digest check but not the ACLs
            try (CuratorFramework guessed = ZkClients.newClient(cluster.zkConnect(), 6_000,
                    ZkCredentials.parse("argus:guess"))) {
                guessed.start();
                assertThat(guessed.blockUntilConnected(10, TimeUnit.SECONDS)).isTrue();
                assertThatThrownBy(() -> guessed.create().withMode(CreateMode.EPHEMERAL).withACL(ZooDefs.Ids.OPEN_ACL_UNSAFE)
                        .forPath(registrations + "/fake", "{}".getBytes(StandardCharsets.UTF_8)))
                        .isInstanceOf(KeeperException.NoAuthException.class);
                assertThatThrownBy(() -> guessed.getChildren().forPath(registrations))
                        .as("list the agents with a made-up password").isInstanceOf(KeeperException.NoAuthException.class);
            }

            // the cluster's own credentials work, and no fake agent got in
            try (CuratorFramework member = ZkClients.newClient(cluster.zkConnect(), 6_000, cluster.credentials())) {
                member.start();
                try (AgentDirectory agents = new AgentDirectory(member, paths, cluster.credentials()).start()) {
                    await().atMost(Duration.ofSeconds(10)).until(() -> agents.agent("local-1").isPresent());
                    assertThat(agents.allAgents()).extracting(a -> a.id()).containsExactly("local-1");
                }
                assertThat(member.checkExists().forPath(registrations + "/fake")).isNull();
            }
        }
    }

    @Test
    void credentialsFileIsCreatedOwnerOnlyAndReplacedTheSameWay() throws Exception {
        Path file = dir.resolve("run/zk-auth");
        ZkCredentials first = ZkCredentials.generate();
        first.writeTo(file);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        // an existing, readable file is replaced by a new owner-only one, not rewritten in place
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        ZkCredentials second = ZkCredentials.generate();
        second.writeTo(file);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(ZkCredentials.fromFile(file).clusterId()).isEqualTo(second.clusterId());
        assertThat(second.clusterId()).isNotEqualTo(first.clusterId());
        assertThat(Files.readString(file).trim()).matches("argus:[A-Za-z0-9_-]{43}");
        try (var files = Files.list(file.getParent())) {
            assertThat(files).containsExactly(file); // no temporary file left behind
        }
    }
}
