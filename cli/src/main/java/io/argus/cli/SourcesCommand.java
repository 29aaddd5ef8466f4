package io.argus.cli;

import io.argus.cluster.ClusterJson;
import io.argus.cluster.SourcePolicies;
import io.argus.cluster.SourcePolicy;
import io.argus.cluster.options.ZkAuthOptions;
import io.argus.cluster.ZkClients;
import io.argus.cluster.ZkPaths;
import org.apache.curator.framework.CuratorFramework;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code argus sources}: shows or replaces the cluster's source allow-list ({@link SourcePolicy}),
 * which says what managed streams may read. It is written straight to ZooKeeper with the cluster
 * credentials (not through the gateway), so that only a cluster administrator can widen it.
 */
@Command(name = "sources", mixinStandardHelpOptions = true,
        description = {"Shows, or with --set replaces, which sources managed streams may read.",
                "Until one is set nothing is allowed. Example: sources --set --scheme rtsp --network 10.20.0.0/16 "
                        + "--media-root /srv/media"})
public final class SourcesCommand implements Callable<Integer> {
    @Option(names = "--zk", required = true, description = "ZooKeeper connect string.")
    String zk;

    @Mixin
    ZkAuthOptions auth = new ZkAuthOptions();

    @Option(names = "--set", description = "Replace the stored policy with the one given by the options below.")
    boolean set;

    @Option(names = "--scheme", description = "An allowed URL scheme, e.g. rtsp (repeatable).")
    List<String> schemes = new ArrayList<>();

    @Option(names = "--host", description = "An allowed host name, matched by name, never resolved (repeatable).")
    List<String> hosts = new ArrayList<>();

    @Option(names = "--network", description = "An allowed address block for literal addresses, e.g. 10.20.0.0/16 (repeatable).")
    List<String> networks = new ArrayList<>();

    @Option(names = "--media-root", description = "A directory whose files may be read (repeatable; made absolute).")
    List<Path> mediaRoots = new ArrayList<>();

    @Option(names = "--cameras", description = "Allow camera:N (the agents' own V4L2 devices).")
    boolean cameras;

    @Option(names = "--client-files", description = "Let clients have the agents read recordings under the media roots "
            + "frame by frame (analyze --encoding file): every client that may send frames may then read every file there.")
    boolean clientFiles;

    @Override
    public Integer call() throws Exception {
        try (CuratorFramework c = ZkClients.newClient(zk, 15_000, auth.credentials())) {
            c.start();
            if (!c.blockUntilConnected(15, TimeUnit.SECONDS)) {
                System.err.println("sources: ZooKeeper at " + zk + " cannot be reached");
                return 2;
            }
            ZkPaths paths = ZkPaths.defaults();
            if (set) {
                List<String> roots = mediaRoots.stream().map(p -> p.toAbsolutePath().normalize().toString()).toList();
                SourcePolicy p;
                try {
                    p = new SourcePolicy(schemes, hosts, networks, roots, cameras, clientFiles);
                } catch (IllegalArgumentException e) {
                    System.err.println("sources: " + e.getMessage());
                    return 2;
                }
                SourcePolicy before = SourcePolicies.read(c, paths);
                if (before.clientFiles() && !p.clientFiles()) {
                    // --set replaces the whole policy: say so where it takes a grant away
                    System.err.println("sources: clients may no longer have the agents read files (--client-files was "
                            + "set before and is not now)");
                }
                SourcePolicies.write(c, paths, p);
            }
            System.out.println(ClusterJson.MAPPER.writerWithDefaultPrettyPrinter()
                    .writeValueAsString(SourcePolicies.read(c, paths)));
            return 0;
        }
    }
}
