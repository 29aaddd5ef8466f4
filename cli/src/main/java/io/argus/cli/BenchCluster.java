package io.argus.cli;

import org.jspecify.annotations.Nullable;
import io.argus.cluster.ZkCredentials;
import io.argus.cluster.embedded.EmbeddedZooKeeper;
import io.argus.coordinator.Coordinator;
import io.argus.coordinator.CoordinatorConfig;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The cluster {@code argus bench} measures when no {@code --zk} is given: an embedded ZooKeeper and
 * coordinator in this JVM, and agents as child JVMs ({@link AgentProcess}), as in a deployment.
 */
final class BenchCluster implements AutoCloseable {
    private final List<AgentProcess> started = new ArrayList<>();
    private @Nullable EmbeddedZooKeeper embedded;
    private @Nullable Coordinator coordinator;
    private @Nullable ZkCredentials credentials;
    @SuppressWarnings("NullAway.Init") // set by start() before the cluster is handed out
    private String connect;

    private BenchCluster() {
    }

    /**
     * Starts ZooKeeper, the coordinator and {@code agents} agents of {@code workers} workers each,
     * with {@code agentArgs} added to their command lines; their logs and data go to {@code work}.
     */
    static BenchCluster start(Path work, int agents, int workers, List<String> agentArgs) throws Exception {
        BenchCluster c = new BenchCluster();
        try {
            c.startIn(work, agents, workers, agentArgs);
            return c;
        } catch (Exception | Error e) {
            c.close();
            throw e;
        }
    }

    private void startIn(Path work, int agents, int workers, List<String> agentArgs) throws Exception {
        // closed to other local users like every embedded cluster: a credential of this run, 0600
        credentials = ZkCredentials.generate();
        Path credentialsFile = work.resolve("zk-auth");
        credentials.writeTo(credentialsFile);
        embedded = EmbeddedZooKeeper.startRequiringAuth();
        connect = embedded.connectString();
        // the same placement authority and checkpoint store as a real cluster: one owner
        // per stream, sticky, so that what is measured is what a cluster does
        coordinator = Coordinator.start(CoordinatorConfig.builder()
                .id("bench-coordinator").zkConnect(connect).bindHost("127.0.0.1").advertiseHost("127.0.0.1")
                .httpPort(0).dataDir(work.resolve("coordinator")).zkCredentials(credentials).build());
        List<String> args = new ArrayList<>(agentArgs);
        args.addAll(List.of("--zk-auth-file", credentialsFile.toString()));
        for (int i = 1; i <= agents; i++) {
            started.add(AgentProcess.start(connect, "bench-" + i, workers, work.resolve("bench-" + i + ".log"),
                    args));
        }
    }

    /** The ZooKeeper connect string. */
    String connect() {
        return connect;
    }

    /** The credential this run's ZooKeeper demands. */
    @Nullable ZkCredentials credentials() {
        return credentials;
    }

    @Override
    public void close() throws Exception {
        for (AgentProcess a : started) {
            a.stop(20); // a clean exit, so that a profiler started with ARGUS_AGENT_JAVA_OPTS writes its file
        }
        if (coordinator != null) {
            coordinator.close();
        }
        if (embedded != null) {
            embedded.close();
        }
    }
}
