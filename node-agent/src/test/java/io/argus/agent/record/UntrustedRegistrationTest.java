package io.argus.agent.record;

import io.argus.cluster.AgentDirectory;
import io.argus.cluster.AgentPayload;
import io.argus.cluster.ClusterJson;
import io.argus.cluster.ClusterView;
import io.argus.cluster.CoordinatorEndpoint;
import io.argus.cluster.ZkAclAudit;
import io.argus.cluster.ZkClients;
import io.argus.cluster.ZkCredentials;
import io.argus.cluster.ZkPaths;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.apache.curator.x.discovery.ServiceInstance;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.data.ACL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Registrations are believed only when the cluster wrote them: a coordinator endpoint or agent registration
 * in a node anyone could write is ignored, so no token is ever sent to it (a real loopback listener plays
 * the fake coordinator and records what reaches it). At start, the tree's open nodes are given the
 * cluster's ACL and open registrations are deleted; a node that cannot be fixed stops the start.
 */
class UntrustedRegistrationTest {
    private static final String SECRET = "coordinator-secret-token-7f3a";
    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }

    private <T extends AutoCloseable> T closing(T c) {
        closing.add(c);
        return c;
    }

    /** A loopback listener that keeps every byte sent to it. */
    private static final class FakeEndpoint implements AutoCloseable {
        final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        final List<ByteArrayOutputStream> received = new CopyOnWriteArrayList<>();

        FakeEndpoint() throws Exception {
            Thread t = new Thread(() -> {
                while (!socket.isClosed()) {
                    try {
                        Socket s = socket.accept();
                        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                        received.add(bytes);
                        Thread r = new Thread(() -> {
                            try (s; InputStream in = s.getInputStream()) {
                                byte[] buf = new byte[4096];
                                for (int n; (n = in.read(buf)) > 0; ) {
                                    synchronized (bytes) {
                                        bytes.write(buf, 0, n);
                                    }
                                }
                            } catch (Exception ignored) {
                                // the link closed it
                            }
                        });
                        r.setDaemon(true);
                        r.start();
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            t.setDaemon(true);
            t.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        boolean sawSecret() {
            return received.stream().anyMatch(b -> {
                synchronized (b) {
                    return b.toString(StandardCharsets.ISO_8859_1).contains(SECRET);
                }
            });
        }

        @Override
        public void close() throws Exception {
            socket.close();
        }
    }

    private CuratorFramework client(TestingServer zk, ZkCredentials creds) throws Exception {
        CuratorFramework c = closing(ZkClients.newClient(zk.getConnectString(), 6_000, creds));
        c.start();
        assertThat(c.blockUntilConnected(10, TimeUnit.SECONDS)).isTrue();
        return c;
    }

    @Test
    void openRegistrationsGetNoTokenAndTheStartTimeAuditRemovesThem() throws Exception {
        TestingServer zk = closing(new TestingServer(true));
        ZkPaths paths = ZkPaths.defaults();
        ZkCredentials creds = ZkCredentials.generate();
        CuratorFramework anonymous = client(zk, null);
        CuratorFramework member = client(zk, creds);
        FakeEndpoint fake = closing(new FakeEndpoint());

        // before the first start, a stranger pre-creates the tree and registers a coordinator and an agent
        String fakeEndpoint = paths.coordinatorEndpoints() + "/fake";
        anonymous.create().creatingParentsIfNeeded().forPath(fakeEndpoint,
                ClusterJson.write(new CoordinatorEndpoint("fake", "127.0.0.1", fake.port(), fake.port())));
        // ... and one carrying a copy of the cluster's own ACL (anyone may read ACLs)
        String forgedEndpoint = paths.coordinatorEndpoints() + "/forged";
        anonymous.create().withACL(creds.acl()).forPath(forgedEndpoint,
                ClusterJson.write(new CoordinatorEndpoint("forged", "127.0.0.1", fake.port(), fake.port())));
        String registrations = paths.agents() + "/" + ZkPaths.AGENT_SERVICE;
        ServiceInstance<AgentPayload> fakeAgent = ServiceInstance.<AgentPayload>builder().name(ZkPaths.AGENT_SERVICE)
                .id("fake-agent").address("127.0.0.1").port(fake.port())
                .payload(new AgentPayload("127.0.0.1", fake.port(), -1, 1, List.of("people"), 1, 10, null,
                        0, 0, false, "x")).build();
        anonymous.create().creatingParentsIfNeeded().forPath(registrations + "/fake-agent",
                AgentDirectory.serializer().serialize(fakeAgent));
        anonymous.create().creatingParentsIfNeeded().forPath(paths.defaultsConfig(), "{}".getBytes(StandardCharsets.UTF_8));

        // an open view (no credentials) believes the fake: the coordinator token reaches it (the test can fail)
        ClusterView openView = closing(new ClusterView(member, paths).start());
        await().atMost(Duration.ofSeconds(10)).until(() -> openView.coordinators().containsKey("fake"));
        CoordinatorLink openLink = closing(new CoordinatorLink(openView, "control-agent", SECRET, new SimpleMeterRegistry(), null));
        await().atMost(Duration.ofSeconds(10)).until(fake::sawSecret);
        openLink.close();
        openView.close();
        fake.received.clear();

        // with the cluster's credentials both endpoints are ignored: no connection, no token
        ClusterView view = closing(new ClusterView(member, paths, creds).start());
        AgentDirectory agents = closing(new AgentDirectory(member, paths, creds).start());
        AgentDirectory openAgents = closing(new AgentDirectory(member, paths).start());
        await().atMost(Duration.ofSeconds(10)).until(() -> openAgents.agent("fake-agent").isPresent());
        CoordinatorLink link = closing(new CoordinatorLink(view, "trusting-agent", SECRET, new SimpleMeterRegistry(), null));
        // the link looks at the endpoints every 200 ms; 2 s is ten looks
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> fake.received.isEmpty());
        assertThat(view.coordinators()).isEmpty();
        assertThat(agents.allAgents()).isEmpty();
        assertThat(view.untrustedCount()).isGreaterThanOrEqualTo(2);
        link.close();

        // start-time audit: open nodes get the cluster's ACL, registrations that anyone could have written go
        ZkAclAudit.Report report = new ZkAclAudit(member, creds, paths, ZkAclAudit.DEFAULT_MAX_NODES).secure();
        assertThat(report.deleted()).containsExactlyInAnyOrder(fakeEndpoint, forgedEndpoint, registrations + "/fake-agent");
        assertThat(report.fixed()).contains(paths.root(), paths.coordinatorEndpoints(), registrations, paths.defaultsConfig());
        for (String p : List.of(paths.root(), paths.coordinatorEndpoints(), registrations, paths.defaultsConfig())) {
            assertThat(creds.onlyClusterWrites(member.getACL().forPath(p))).as(p).isTrue();
        }
        assertThatThrownBy(() -> anonymous.create().withMode(CreateMode.EPHEMERAL).forPath(fakeEndpoint,
                ClusterJson.write(new CoordinatorEndpoint("fake", "127.0.0.1", fake.port(), fake.port()))))
                .isInstanceOf(KeeperException.NoAuthException.class);

        // a registration the cluster writes is believed (the filter is not a blanket refusal)
        member.create().withMode(CreateMode.EPHEMERAL).forPath(paths.coordinatorEndpoints() + "/real",
                ClusterJson.write(new CoordinatorEndpoint("real", "127.0.0.1", 1, 1)));
        ClusterView after = closing(new ClusterView(member, paths, creds).start());
        await().atMost(Duration.ofSeconds(10)).until(() -> after.coordinators().containsKey("real"));
        assertThat(after.coordinators()).containsOnlyKeys("real");
        assertThat(fake.received).isEmpty();
    }

    @Test
    void aNodeTheClusterCannotFixStopsTheStartNamingIt() throws Exception {
        TestingServer zk = closing(new TestingServer(true));
        ZkPaths paths = new ZkPaths("/argus-locked");
        ZkCredentials creds = ZkCredentials.generate();
        ZkCredentials stranger = ZkCredentials.parse("mallory:secret");
        CuratorFramework other = client(zk, stranger);
        CuratorFramework member = client(zk, creds);
        member.create().creatingParentsIfNeeded().forPath(paths.root() + "/config");
        // an operator's mistake lets the stranger in under config (the audit can fix that node)...
        member.setACL().withACL(List.of(new ACL(ZooDefs.Perms.ALL, creds.clusterId()),
                new ACL(ZooDefs.Perms.ALL, stranger.clusterId()))).forPath(paths.root() + "/config");
        // ... and he creates a node that keeps ADMIN for himself and lets anyone write
        other.create().withACL(List.of(new ACL(ZooDefs.Perms.ALL, stranger.clusterId()),
                new ACL(ZooDefs.Perms.READ | ZooDefs.Perms.WRITE, ZooDefs.Ids.ANYONE_ID_UNSAFE)))
                .forPath(paths.defaultsConfig(), "{}".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> new ZkAclAudit(member, creds, paths, ZkAclAudit.DEFAULT_MAX_NODES).secure())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(paths.defaultsConfig()).hasMessageContaining("refusing to start");
        // a tree larger than the bound is refused rather than half checked
        assertThatThrownBy(() -> new ZkAclAudit(member, creds, paths, 2).secure())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("DEFAULT_MAX_NODES");
        assertThatThrownBy(() -> new ZkAclAudit(member, creds, paths, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(creds.onlyClusterWrites(member.getACL().forPath(paths.root() + "/config"))).isTrue();
    }
}
