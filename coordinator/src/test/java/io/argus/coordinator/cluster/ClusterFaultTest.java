package io.argus.coordinator.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.argus.protocol.client.AgentConnection;
import io.argus.protocol.client.ClientOptions;
import io.argus.protocol.client.ConnectionListener;
import io.argus.cluster.AgentDirectory;
import io.argus.cluster.AgentInfo;
import io.argus.cluster.ClusterView;
import io.argus.cluster.ZkClients;
import io.argus.cluster.ZkPaths;
import io.argus.protocol.v1.FrameResult;
import io.argus.protocol.v1.Preview;
import io.argus.protocol.v1.Role;
import io.argus.protocol.v1.Subscribe;
import io.argus.testing.ChildAgent;
import io.argus.testing.TestAssets;
import io.argus.cluster.SourcePolicy;
import io.argus.cluster.SourcePolicies;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;
import org.apache.curator.test.TestingZooKeeperServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Faults for real, on a 3-server ZooKeeper ensemble, with coordinators and agents in child JVMs
 * killed with SIGKILL: the agent that owns a managed stream, the leader coordinator, ZooKeeper
 * servers. Session timeout 3 s throughout. The dead agent's registration outlives it by that
 * session timeout; the stream must move sooner, on the coordinator's crash detection.
 */
class ClusterFaultTest {
    static final int SESSION_MS = 3_000;
    static final ObjectMapper JSON = new ObjectMapper();

    record Seen(long atNanos, FrameResult result) {
    }

    @Test
    void aClusterSurvivesLosingAnAgentItsLeaderAndZooKeeperServers(@TempDir Path dir) throws Exception {
        List<InstanceSpec> specs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            // tickTime 200 ms: ZooKeeper expires sessions on tick boundaries, so a dead agent's
            // session ends up to one tick after its timeout; that tick belongs to the budget below
            specs.add(new InstanceSpec(null, -1, -1, -1, true, i + 1, 200, -1, Map.of()));
        }
        var group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        HttpClient http = HttpClient.newHttpClient();
        try (TestingCluster zk = new TestingCluster(specs)) {
            zk.start();
            String connect = zk.getConnectString();
            try (ChildCoordinator c1 = ChildCoordinator.start(connect, "co-1", dir.resolve("co-1"), SESSION_MS);
                 ChildCoordinator c2 = ChildCoordinator.start(connect, "co-2", dir.resolve("co-2"), SESSION_MS);
                 ChildAgent a1 = ChildAgent.start(connect, "ag-1", "--session-timeout-ms", "" + SESSION_MS);
                 ChildAgent a2 = ChildAgent.start(connect, "ag-2", "--session-timeout-ms", "" + SESSION_MS);
                 CuratorFramework curator = ZkClients.newClient(connect, SESSION_MS)) {
                curator.start();
                curator.blockUntilConnected(10, TimeUnit.SECONDS);
                SourcePolicies.write(curator, ZkPaths.defaults(), SourcePolicy.DEFAULT.withMediaRoot(TestAssets.root()));
                ClusterView view = new ClusterView(curator, ZkPaths.defaults()).start();
                AgentDirectory agents = new AgentDirectory(curator, ZkPaths.defaults()).start();
                Map<String, ChildAgent> agentProcs = Map.of("ag-1", a1, "ag-2", a2);
                Map<String, ChildCoordinator> coords = Map.of("co-1", c1, "co-2", c2);
                await().atMost(Duration.ofSeconds(15)).until(() -> agents.agents().size() == 2);

                // a managed stream: the sample clip, looped, counted on a line
                String body = "{\"id\":\"lobby\",\"source\":\"" + TestAssets.vtestSource()
                        + "\",\"loop\":true,\"tasks\":[{\"name\":\"people\",\"params\":{\"lines\":\"mid:384,0,384,576\"}}]}";
                HttpResponse<String> reg = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + c1.httpPort
                        + "/v1/streams")).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(reg.statusCode()).as(reg.body()).isEqualTo(200);
                await().atMost(Duration.ofSeconds(15)).until(() -> view.assignment("lobby").isPresent());
                String owner = view.assignment("lobby").orElseThrow().agent();

                // follow the stream's results wherever it runs: a viewer on every agent, subscribed
                // before anything fails, so that the gap below is the cluster's and not the test's
                List<Seen> seen = new CopyOnWriteArrayList<>();
                ClientOptions opts = ClientOptions.builder(group).clientId("fault-test").role(Role.ROLE_VIEWER).build();
                ConnectionListener record = new ConnectionListener() {
                    @Override
                    public void onPreview(AgentConnection c, Preview p) {
                        seen.add(new Seen(System.nanoTime(), p.getResult()));
                    }
                };
                List<AgentConnection> viewers = new ArrayList<>();
                for (AgentInfo a : agents.agents()) {
                    viewers.add(subscribe(a, opts, record));
                }
                // let it run long enough for crossings and a few checkpoints
                await().atMost(Duration.ofSeconds(40)).until(() -> !seen.isEmpty()
                        && total(seen.get(seen.size() - 1).result()) >= 2);
                Thread.sleep(2_500);

                // 1. SIGKILL the agent that owns the stream
                long killedAt = System.nanoTime();
                double totalBeforeCheckpointWindow = total(seen.stream()
                        .filter(s -> s.atNanos() < killedAt - TimeUnit.MILLISECONDS.toNanos(2_500))
                        .reduce((x, y) -> y).orElseThrow().result());
                agentProcs.get(owner).kill();
                await().atMost(Duration.ofSeconds(15)).until(() -> view.assignment("lobby")
                        .map(a -> !a.agent().equals(owner)).orElse(false));
                String next = view.assignment("lobby").orElseThrow().agent();
                // the leader saw the dead agent's event link close and its port refuse, and moved the
                // stream without waiting for ZooKeeper to expire the session
                assertThat(view.assignment("lobby").orElseThrow().reason()).isEqualTo("crash");
                await().atMost(Duration.ofSeconds(10)).until(() -> seen.stream().anyMatch(s -> s.atNanos() > killedAt
                        && s.result().getAgentId().equals(next)));
                Seen first = seen.stream().filter(s -> s.atNanos() > killedAt && s.result().getAgentId().equals(next))
                        .findFirst().orElseThrow();
                long gapMs = (first.atNanos() - killedAt) / 1_000_000;
                // reassigned and processing within the session timeout plus one second
                assertThat(gapMs).isLessThanOrEqualTo(SESSION_MS + 1_000);
                // totals continue from the last checkpoint (taken at most 2 s before the kill)
                assertThat(total(first.result())).isGreaterThanOrEqualTo(totalBeforeCheckpointWindow);

                // 2. SIGKILL the leader coordinator: the standby takes over
                String leader = health(http, c1).get("leader").asText();
                ChildCoordinator dead = coords.get(leader);
                ChildCoordinator standby = leader.equals("co-1") ? c2 : c1;
                long leaderKilledAt = System.nanoTime();
                dead.kill();
                await().atMost(Duration.ofSeconds(10)).until(() -> health(http, standby).get("acting_leader").asBoolean());
                long takeoverMs = (System.nanoTime() - leaderKilledAt) / 1_000_000;
                assertThat(takeoverMs).isLessThanOrEqualTo(SESSION_MS + 2_000);
                // the standby has the record too (agents publish to every coordinator)
                JsonNode totals = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + standby.httpPort + "/v1/streams/lobby/totals")).build(), HttpResponse.BodyHandlers.ofString()).body());
                assertThat(totals.at("/totals").size()).isPositive();

                // 3. kill ZooKeeper servers one at a time: nothing is lost
                int assigned = view.assignments().size();
                for (TestingZooKeeperServer s : zk.getServers().subList(0, 1)) {
                    s.kill();
                }
                Thread.sleep(SESSION_MS + 1_000);
                await().atMost(Duration.ofSeconds(15)).until(() -> agents.agents().size() == 1
                        && view.assignments().size() == assigned);
                int after = seen.size();
                await().atMost(Duration.ofSeconds(15)).until(() -> seen.size() > after);
                viewers.forEach(AgentConnection::close);
                view.close();
                agents.close();
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    static AgentConnection subscribe(AgentInfo a, ClientOptions opts, ConnectionListener l) throws Exception {
        AgentConnection c = AgentConnection.connect(new InetSocketAddress(a.payload().host(), a.payload().port()), opts, l)
                .get(5, TimeUnit.SECONDS);
        c.subscribe(Subscribe.newBuilder().setStreamId("lobby").build());
        return c;
    }

    static double total(FrameResult r) {
        return r.getTasks(0).getNumbersOrDefault("line.mid.in", 0) + r.getTasks(0).getNumbersOrDefault("line.mid.out", 0);
    }

    static JsonNode health(HttpClient http, ChildCoordinator c) throws Exception {
        return JSON.readTree(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + c.httpPort + "/healthz"))
                .build(), HttpResponse.BodyHandlers.ofString()).body());
    }
}
