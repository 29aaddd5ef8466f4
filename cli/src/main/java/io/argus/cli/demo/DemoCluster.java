package io.argus.cli.demo;

import io.argus.agent.AgentConfig;
import io.argus.agent.NodeAgent;
import io.argus.cluster.embedded.EmbeddedZooKeeper;
import io.argus.coordinator.Coordinator;
import io.argus.coordinator.CoordinatorConfig;
import io.argus.cluster.ZkCredentials;
import io.argus.cluster.SourcePolicies;
import io.argus.cluster.SourcePolicy;
import io.argus.cluster.ZkClients;
import io.argus.cluster.ZkPaths;
import org.apache.curator.framework.CuratorFramework;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The embedded default of {@code argus demo}: a ZooKeeper server, a coordinator (HTTP on a free
 * port, data in a temporary folder) and N agents, all in this process on loopback.
 *
 * <p>Not open to other local users: ZooKeeper requires authentication, with credentials drawn at random
 * for this run and written to {@value #CREDENTIALS_FILE} in the data folder, readable by its owner only.
 * Every process of the demo uses them; other processes join with {@code --zk-auth-file PATH}.
 */
public final class DemoCluster implements AutoCloseable {
    /** Name of the run's ZooKeeper credentials file in the data folder. */
    public static final String CREDENTIALS_FILE = "zk-auth";
    private static final Logger log = LoggerFactory.getLogger(DemoCluster.class);

    private final EmbeddedZooKeeper zk;
    private final Coordinator coordinator;
    private final ZkCredentials credentials;
    private final Path credentialsFile;
    private final List<NodeAgent> agents = new ArrayList<>();

    private DemoCluster(EmbeddedZooKeeper zk, Coordinator coordinator, ZkCredentials credentials, Path credentialsFile) {
        this.zk = zk;
        this.coordinator = coordinator;
        this.credentials = credentials;
        this.credentialsFile = credentialsFile;
    }

    public static DemoCluster start(int agentCount, @Nullable Path dataDir) throws Exception {
        return start(agentCount, dataDir, "agent-");
    }

    /**
     * As above, with agents named {@code agentPrefix1..N}. {@code analyze} runs its embedded cluster
     * this way too, so that its streams are placed by the same authority as on a real cluster (one
     * owner per stream, sticky while it lives) rather than by each client's own hashing.
     */
    public static DemoCluster start(int agentCount, @Nullable Path dataDir, String agentPrefix) throws Exception {
        Path dir = dataDir != null ? dataDir : Files.createTempDirectory("argus-demo");
        ZkCredentials creds = ZkCredentials.generate();
        Path credsFile = dir.resolve(CREDENTIALS_FILE);
        creds.writeTo(credsFile);
        log.info("ZooKeeper credentials of this run: {} (other processes: --zk-auth-file {})", credsFile, credsFile);
        EmbeddedZooKeeper zk = EmbeddedZooKeeper.startRequiringAuth();
        Coordinator c = null;
        try {
            c = Coordinator.start(CoordinatorConfig.builder().id("demo-coordinator").zkConnect(zk.connectString())
                    .bindHost("127.0.0.1").advertiseHost("127.0.0.1").httpPort(0)
                    .dataDir(dir).zkCredentials(creds).build());
            DemoCluster d = new DemoCluster(zk, c, creds, credsFile);
            allowBundledMedia(zk.connectString(), creds);
            int workers = Math.max(1, Runtime.getRuntime().availableProcessors() / agentCount);
            for (int i = 1; i <= agentCount; i++) {
                d.agents.add(NodeAgent.start(AgentConfig.builder().agentId(agentPrefix + i).zkConnect(zk.connectString())
                        .bindHost("127.0.0.1").advertiseHost("127.0.0.1").workers(workers).zkCredentials(creds).build()));
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
    private static void allowBundledMedia(String zkConnect, ZkCredentials creds) throws Exception {
        Path assets = Path.of("assets").toAbsolutePath().normalize();
        if (!Files.isDirectory(assets)) {
            return; // the default (nothing allowed) stays
        }
        try (CuratorFramework c = ZkClients.newClient(zkConnect,
                ZkClients.DEFAULT_SESSION_TIMEOUT_MS, creds)) {
            c.start();
            SourcePolicies.write(c, ZkPaths.defaults(),
                    new SourcePolicy(List.of(), List.of(),
                            List.of(), List.of(assets.toRealPath().toString()), false));
        }
    }

    public String zkConnect() {
        return zk.connectString();
    }

    /** This run's ZooKeeper credentials: every client of the demo's ZooKeeper needs them. */
    public ZkCredentials credentials() {
        return credentials;
    }

    /** The 0600 file holding {@link #credentials()}, for {@code --zk-auth-file}. */
    public Path credentialsFile() {
        return credentialsFile;
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
        try {
            Files.deleteIfExists(credentialsFile); // this run's secret is of no use to the next
        } catch (IOException e) {
            log.warn("cannot delete {}: {}", credentialsFile, e.toString());
        }
    }
}
