package io.argus.app.console;

import io.argus.agent.AgentConfig;
import io.argus.agent.NodeAgent;
import io.argus.agent.embedded.EmbeddedZooKeeper;
import io.argus.coordinator.Coordinator;
import io.argus.coordinator.CoordinatorConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The embedded default of {@code argus demo}: a ZooKeeper server, a coordinator (HTTP on a free
 * port, data in a temporary folder) and N agents, all in this process on loopback.
 */
public final class DemoCluster implements AutoCloseable {
    private final EmbeddedZooKeeper zk;
    private final Coordinator coordinator;
    private final List<NodeAgent> agents = new ArrayList<>();

    private DemoCluster(EmbeddedZooKeeper zk, Coordinator coordinator) {
        this.zk = zk;
        this.coordinator = coordinator;
    }

    public static DemoCluster start(int agentCount, Path dataDir) throws Exception {
        return start(agentCount, dataDir, "agent-");
    }

    /**
     * As above, with agents named {@code agentPrefix1..N}. {@code analyze} runs its embedded cluster
     * this way too, so that its streams are placed by the same authority as on a real cluster (one
     * owner per stream, sticky while it lives) rather than by each client's own hashing.
     */
    public static DemoCluster start(int agentCount, Path dataDir, String agentPrefix) throws Exception {
        EmbeddedZooKeeper zk = EmbeddedZooKeeper.start();
        Coordinator c = null;
        try {
            c = Coordinator.start(CoordinatorConfig.builder().id("demo-coordinator").zkConnect(zk.connectString())
                    .bindHost("127.0.0.1").advertiseHost("127.0.0.1").httpPort(0)
                    .dataDir(dataDir != null ? dataDir : Files.createTempDirectory("argus-demo")).build());
            DemoCluster d = new DemoCluster(zk, c);
            allowBundledMedia(zk.connectString());
            int workers = Math.max(1, Runtime.getRuntime().availableProcessors() / agentCount);
            for (int i = 1; i <= agentCount; i++) {
                d.agents.add(NodeAgent.start(AgentConfig.builder().agentId(agentPrefix + i).zkConnect(zk.connectString())
                        .bindHost("127.0.0.1").advertiseHost("127.0.0.1").workers(workers).build()));
            }
            return d;
        } catch (Exception e) {
            if (c != null) {
                c.close();
            }
            zk.close();
            throw e;
        }
    }

    /**
     * The demo's source policy: files under the project's {@code assets/} only (no network, no
     * cameras), so that {@code bin/argus stream add} works on the bundled footage and on nothing
     * else. A real cluster sets its own with {@code bin/argus sources --set}.
     */
    private static void allowBundledMedia(String zkConnect) throws Exception {
        Path assets = Path.of("assets").toAbsolutePath().normalize();
        if (!Files.isDirectory(assets)) {
            return; // the default (nothing allowed) stays
        }
        try (org.apache.curator.framework.CuratorFramework c = io.argus.protocol.cluster.ZkClients.newClient(zkConnect)) {
            c.start();
            io.argus.protocol.cluster.SourcePolicies.write(c, io.argus.protocol.cluster.ZkPaths.defaults(),
                    new io.argus.protocol.cluster.SourcePolicy(java.util.List.of(), java.util.List.of(),
                            java.util.List.of(), java.util.List.of(assets.toRealPath().toString()), false));
        }
    }

    public String zkConnect() {
        return zk.connectString();
    }

    public Coordinator coordinator() {
        return coordinator;
    }

    public List<NodeAgent> agents() {
        return List.copyOf(agents);
    }

    /** Stops one agent as a crash would look to its peers' clients (tests of the cluster view and alerts). */
    public void stopAgent(String id) {
        NodeAgent a = agents.stream().filter(x -> x.id().equals(id)).findFirst().orElseThrow();
        agents.remove(a);
        a.close();
    }

    @Override
    public void close() {
        agents.forEach(NodeAgent::close);
        agents.clear();
        coordinator.close();
        zk.close();
    }
}
