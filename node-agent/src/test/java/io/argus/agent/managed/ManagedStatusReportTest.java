package io.argus.agent.managed;

import io.argus.agent.AgentConfig;
import io.argus.agent.NodeAgent;
import io.argus.cluster.Assignment;
import io.argus.cluster.ClusterJson;
import io.argus.cluster.ClusterView;
import io.argus.cluster.CoordinatorEndpoint;
import io.argus.cluster.ManagedState;
import io.argus.cluster.ManagedStatus;
import io.argus.cluster.SourcePolicies;
import io.argus.cluster.SourcePolicy;
import io.argus.cluster.StreamDefinition;
import io.argus.cluster.ZkClients;
import io.argus.cluster.ZkPaths;
import io.argus.testing.TestAssets;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.CreateMode;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What an agent reports about a managed stream it runs, read back through a {@link ClusterView}
 * as the coordinator reads it: starting (with why: the only registered coordinator does not answer
 * for the checkpoint, then no coordinator is registered at all, and the stream still does not start
 * at frame 0), and nothing once the agent is gone (the report is ephemeral) or when the stream is
 * assigned elsewhere (a report of another owner or epoch does not count). Running, retrying, failed
 * and finished, once a real coordinator answers, are {@code ManagedStreamStateTest}'s.
 */
class ManagedStatusReportTest {
    @Test
    void theAgentsReportFollowsTheStreamAndGoesWithTheAgent() throws Exception {
        ZkPaths paths = ZkPaths.defaults();
        int deadPort;
        try (ServerSocket s = new ServerSocket(0)) {
            deadPort = s.getLocalPort(); // closed at once: a coordinator that just died
        }
        try (TestingServer zk = new TestingServer(true);
             CuratorFramework admin = ZkClients.newClient(zk.getConnectString())) {
            admin.start();
            SourcePolicies.write(admin, paths, SourcePolicy.DEFAULT.withMediaRoot(TestAssets.root()));
            // a coordinator whose process died and whose registration ZooKeeper has not expired yet
            String endpoint = paths.coordinatorEndpoints() + "/dead";
            admin.create().creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL).forPath(endpoint,
                    ClusterJson.write(new CoordinatorEndpoint("dead", "127.0.0.1", deadPort, deadPort)));
            long now = System.currentTimeMillis();
            admin.create().creatingParentsIfNeeded().forPath(paths.stream("lobby"), ClusterJson.write(new StreamDefinition(
                    "lobby", "coordinator", StreamDefinition.MANAGED, List.of(new StreamDefinition.TaskSpec("color", Map.of())),
                    TestAssets.vtestSource(), true, now, 0, 0)));
            admin.create().creatingParentsIfNeeded().forPath(paths.assignment("lobby"),
                    ClusterJson.write(new Assignment("rep-agent", "test", now, "test")));

            try (ClusterView view = new ClusterView(admin, paths).start();
                 NodeAgent agent = NodeAgent.start(AgentConfig.builder().agentId("rep-agent")
                         .zkConnect(zk.getConnectString()).workers(1).build())) {
                await().atMost(Duration.ofSeconds(20)).until(() -> view.managedStatus("lobby")
                        .map(st -> st.state() == ManagedState.STARTING && String.valueOf(st.lastError())
                                .startsWith("waiting for a coordinator to hand over its checkpoint")).orElse(false));
                ManagedStatus starting = view.managedStatus("lobby").orElseThrow();
                assertThat(starting.agent()).isEqualTo("rep-agent");
                assertThat(starting.epoch()).isEqualTo(view.epoch("lobby", "rep-agent"));
                assertThat(starting.lastError()).contains("none of the 1 registered coordinators answered");

                // the dead registration goes and no coordinator is left: only a coordinator can say
                // that there is no checkpoint, so the stream keeps waiting rather than start at frame 0
                admin.delete().forPath(endpoint);
                await().atMost(Duration.ofSeconds(40)).until(() -> view.managedStatus("lobby")
                        .map(st -> String.valueOf(st.lastError()).contains("no coordinator is registered")).orElse(false));
                Thread.sleep(2 * ManagedRetryConfig.DEFAULT_INITIAL_MS);
                ManagedStatus waiting = view.managedStatus("lobby").orElseThrow();
                assertThat(waiting.state()).isEqualTo(ManagedState.STARTING);
                assertThat(waiting.resumedFrom()).as("no state opened").isEqualTo(-1);

                // assigned to another agent: this one's report no longer counts, whatever it still says
                admin.setData().forPath(paths.assignment("lobby"),
                        ClusterJson.write(new Assignment("other-agent", "test", now, "test")));
                await().atMost(Duration.ofSeconds(10)).until(() -> view.managedStatus("lobby").isEmpty());
                await().atMost(Duration.ofSeconds(10)).until(() ->
                        admin.checkExists().forPath(paths.managedStatus("lobby", "rep-agent")) == null);

                // back here (a new epoch), then the agent gone: its ephemeral report goes with its session
                admin.setData().forPath(paths.assignment("lobby"),
                        ClusterJson.write(new Assignment("rep-agent", "test", now, "test")));
                await().atMost(Duration.ofSeconds(40)).until(() -> view.managedStatus("lobby")
                        .map(st -> st.agent().equals("rep-agent") && st.epoch() == view.epoch("lobby", "rep-agent"))
                        .orElse(false));
                agent.close();
                await().atMost(Duration.ofSeconds(20)).until(() -> view.managedStatus("lobby").equals(Optional.empty()));
            }
        }
    }
}
