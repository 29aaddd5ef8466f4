package io.argus.cli.demo;

import io.argus.cluster.embedded.EmbeddedZooKeeper;
import io.argus.agent.AgentConfig;
import io.argus.agent.NodeAgent;

import io.argus.cluster.ZkCredentials;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The embedded default: an in-process ZooKeeper and N agents on loopback, sharing the machine's
 * cores between them. Used by {@code analyze} and {@code demo} without {@code --zk}, and by tests.
 * ZooKeeper requires authentication with credentials drawn for this run ({@link #credentials()}),
 * written to the owner-only file {@link #credentialsFile()} in ZooKeeper's folder (deleted with it).
 */
public final class LocalCluster implements AutoCloseable {
    private final EmbeddedZooKeeper zk;
    private final ZkCredentials credentials;
    private final Path credentialsFile;
    private final List<NodeAgent> agents = new ArrayList<>();

    private LocalCluster(EmbeddedZooKeeper zk, ZkCredentials credentials, Path credentialsFile) {
        this.zk = zk;
        this.credentials = credentials;
        this.credentialsFile = credentialsFile;
    }

    public static LocalCluster start(int agentCount) throws Exception {
        return start(agentCount, AgentConfig.builder());
    }

    /** Starts ZooKeeper and agents named {@code local-1..N} from the given template. */
    public static LocalCluster start(int agentCount, AgentConfig.Builder template) throws Exception {
        EmbeddedZooKeeper zk = EmbeddedZooKeeper.startRequiringAuth();
        ZkCredentials creds = ZkCredentials.generate();
        LocalCluster c = new LocalCluster(zk, creds, zk.dataDir().resolve("zk-auth"));
        try {
            creds.writeTo(c.credentialsFile);
            int workers = Math.max(1, Runtime.getRuntime().availableProcessors() / agentCount);
            for (int i = 1; i <= agentCount; i++) {
                c.agents.add(NodeAgent.start(template.build().toBuilder()
                        .agentId("local-" + i).zkConnect(c.zk.connectString())
                        .bindHost("127.0.0.1").advertiseHost("127.0.0.1").port(0)
                        .workers(workers).zkCredentials(creds).build()));
            }
            return c;
        } catch (Exception e) {
            c.close();
            throw e;
        }
    }

    public String zkConnect() {
        return zk.connectString();
    }

    /** This run's ZooKeeper credentials: the server answers nobody without them. */
    public ZkCredentials credentials() {
        return credentials;
    }

    /** The owner-only (0600) file holding {@link #credentials()}, for {@code --zk-auth-file}. */
    public Path credentialsFile() {
        return credentialsFile;
    }

    public List<NodeAgent> agents() {
        return List.copyOf(agents);
    }

    public NodeAgent agent(String id) {
        return agents.stream().filter(a -> a.id().equals(id)).findFirst().orElseThrow();
    }

    /** Stops one agent gracefully (tests of failover use a child process and SIGKILL instead). */
    public void stopAgent(String id) {
        NodeAgent a = agent(id);
        agents.remove(a);
        a.close();
    }

    @Override
    public void close() {
        for (NodeAgent a : agents) {
            a.close();
        }
        agents.clear();
        zk.close();
    }
}
