package io.argus.agent.registry;

import io.argus.agent.AgentConfig;
import io.argus.agent.NodeAgent;
import io.argus.cluster.AgentDirectory;
import io.argus.cluster.AgentInfo;
import io.argus.cluster.ZkClients;
import io.argus.cluster.ZkPaths;
import io.argus.testing.ChildAgent;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Registration in a real ZooKeeper, as seen by a ServiceCache-backed directory. */
class AgentRegistrationTest {
    static TestingServer zk;
    static CuratorFramework curator;
    static AgentDirectory directory;

    @BeforeAll
    static void start() throws Exception {
        // tickTime 500 ms so that a 2 s session is allowed (the server clamps to [2, 20] x tickTime)
        zk = new TestingServer(new InstanceSpec(null, -1, -1, -1, true, -1, 500, -1, Map.of()), true);
        curator = ZkClients.newClient(zk.getConnectString());
        curator.start();
        directory = new AgentDirectory(curator, ZkPaths.defaults()).start();
    }

    @AfterAll
    static void stop() throws Exception {
        directory.close();
        curator.close();
        zk.close();
    }

    @Test
    void closingWithZooKeeperGoneDoesNotWaitForRetries() throws Exception {
        // its own server: this test stops it
        try (TestingServer own = new TestingServer(new InstanceSpec(null, -1, -1, -1, true, -1, 500, -1, Map.of()), true)) {
            NodeAgent agent = NodeAgent.start(AgentConfig.builder().agentId("reg-gone").zkConnect(own.getConnectString())
                    .bindHost("127.0.0.1").advertiseHost("127.0.0.1").workers(1).drainGraceMs(500).build());
            own.stop();
            long t0 = System.nanoTime();
            agent.close();
            // Curator alone would retry the deregistration for minutes (29 retries, up to 5 s apart);
            // 10 s leaves room for the drain grace and a slow machine, and is far below that
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
        }
    }

    @Test
    void registersWithPayloadAndDeregistersOnClose() throws Exception {
        NodeAgent agent = NodeAgent.start(AgentConfig.builder().agentId("reg-a").zkConnect(zk.getConnectString())
                .bindHost("127.0.0.1").advertiseHost("127.0.0.1").workers(2).loadRefreshMs(200).metricsPort(0).build());
        try {
            await().atMost(Duration.ofSeconds(5)).until(() -> directory.agent("reg-a").isPresent());
            AgentInfo info = directory.agent("reg-a").orElseThrow();
            assertThat(info.payload().host()).isEqualTo("127.0.0.1");
            assertThat(info.payload().port()).isEqualTo(agent.port());
            assertThat(info.payload().protocolVersion()).isEqualTo(1);
            assertThat(info.payload().capabilities()).contains("noop", "color", "faces");
            assertThat(info.payload().workers()).isEqualTo(2);
            // the agent's own HTTP port serves Prometheus metrics, and is published
            assertThat(info.payload().metricsPort()).isEqualTo(agent.metricsPort()).isPositive();
            var http = HttpClient.newHttpClient();
            String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + agent.metricsPort() + "/metrics")).build(), BodyHandlers.ofString()).body();
            assertThat(metrics).contains("argus_agent_queue");
            long first = info.payload().updatedAtMs();
            // the load figure is refreshed (required: at least every 2 s)
            await().atMost(Duration.ofSeconds(3)).until(() ->
                    directory.agent("reg-a").orElseThrow().payload().updatedAtMs() > first);
        } finally {
            agent.close();
        }
        await().atMost(Duration.ofSeconds(3)).until(() -> directory.agent("reg-a").isEmpty());
    }

    @Test
    void aKilledAgentProcessDisappearsWithinItsSessionTimeout() throws Exception {
        try (ChildAgent child = ChildAgent.start(zk.getConnectString(), "reg-killed", "--session-timeout-ms", "2000")) {
            await().atMost(Duration.ofSeconds(10)).until(() -> directory.agent("reg-killed").isPresent());
            long t0 = System.nanoTime();
            child.kill();
            await().atMost(Duration.ofSeconds(6)).pollInterval(Duration.ofMillis(50))
                    .until(() -> directory.agent("reg-killed").isEmpty());
            long goneMs = (System.nanoTime() - t0) / 1_000_000;
            // session 2 s; ZooKeeper checks expiry every tickTime, so allow two ticks and the watch round trip
            assertThat(goneMs).isLessThan(2_000 + 1_500);
        }
    }

    @Test
    void aTerminatedAgentDeregistersAtOnce() throws Exception {
        try (ChildAgent child = ChildAgent.start(zk.getConnectString(), "reg-term", "--session-timeout-ms", "6000")) {
            await().atMost(Duration.ofSeconds(10)).until(() -> directory.agent("reg-term").isPresent());
            long t0 = System.nanoTime();
            // 143 = 128 + SIGTERM: the JVM's exit status after its shutdown hooks (the drain) ran
            assertThat(child.terminate()).isEqualTo(143);
            await().atMost(Duration.ofSeconds(3)).until(() -> directory.agent("reg-term").isEmpty());
            // well before the 6 s session would have expired
            assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(4_000);
        }
    }

    @Test
    void aNameHeldByALiveAgentIsNotStolen() throws Exception {
        NodeAgent a = NodeAgent.start(AgentConfig.builder().agentId("reg-dup").zkConnect(zk.getConnectString())
                .zkSessionTimeoutMs(2_000).bindHost("127.0.0.1").advertiseHost("127.0.0.1").build());
        try {
            Assertions.assertThatThrownBy(() -> NodeAgent.start(AgentConfig.builder()
                            .agentId("reg-dup").zkConnect(zk.getConnectString()).zkSessionTimeoutMs(2_000)
                            .bindHost("127.0.0.1").advertiseHost("127.0.0.1").build()))
                    .hasMessageContaining("another live agent");
            assertThat(directory.agents()).extracting(AgentInfo::id).contains("reg-dup");
            List<AgentInfo> all = directory.allAgents();
            assertThat(all.stream().filter(i -> i.id().equals("reg-dup")).findFirst().orElseThrow().payload().port())
                    .isEqualTo(a.port());
        } finally {
            a.close();
        }
    }

    /**
     * Session expiry injected into the agent's own ZooKeeper client: the agent fences itself while
     * the session is gone (takes no new streams), and comes back registered under a new session
     * with the fence lifted, without a restart.
     */
    @Test
    void anExpiredSessionFencesTheAgentAndItReRegisters() throws Exception {
        CuratorFramework own = ZkClients.newClient(zk.getConnectString(), 2_000);
        own.start();
        var admission = new io.argus.agent.net.AgentRuntime.Admission();
        var payload = new io.argus.cluster.AgentPayload("127.0.0.1", 1, -1, 1, List.of("noop"), 1, 1,
                io.argus.cluster.AgentLoad.IDLE, 0, 0, false, "test");
        try (AgentRegistration reg = new AgentRegistration(own, ZkPaths.defaults(), "reg-expiry", payload, admission, 2_000)) {
            reg.start();
            String path = ZkPaths.defaults().agents() + "/" + ZkPaths.AGENT_SERVICE + "/reg-expiry";
            await().atMost(Duration.ofSeconds(5)).until(() -> directory.agent("reg-expiry").isPresent());
            long before = curator.checkExists().forPath(path).getEphemeralOwner();
            AtomicBoolean sawFence = new AtomicBoolean();
            own.getConnectionStateListenable().addListener((c, state) -> {
                if (admission.fenced()) {
                    sawFence.set(true);
                }
            });
            own.getZookeeperClient().getZooKeeper().getTestable().injectSessionExpiration();
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                var stat = curator.checkExists().forPath(path);
                return stat != null && stat.getEphemeralOwner() != before && !admission.fenced();
            });
            assertThat(sawFence).as("fenced while the session was lost").isTrue();
            assertThat(directory.agent("reg-expiry")).isPresent();
        } finally {
            own.close();
        }
    }
}
