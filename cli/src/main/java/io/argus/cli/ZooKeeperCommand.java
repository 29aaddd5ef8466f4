package io.argus.cli;

import io.argus.cluster.embedded.EmbeddedZooKeeper;
import io.argus.cluster.ZkCredentials;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code argus zk}: a single ZooKeeper server for development and benchmarks. Production
 * clusters use a real ensemble (three or five servers); see the README.
 *
 * <p>The server requires authentication: it answers only sessions that present the cluster's digest
 * credentials, kept in the owner-only (0600) file {@code DATA_DIR/zk-auth}. The file is drawn at random
 * on the first start and kept with the data (the nodes' ACLs name it, so a new secret would lock the
 * cluster out of its own nodes); every agent, coordinator and client joins with {@code --zk-auth-file}.
 */
@Command(name = "zk", mixinStandardHelpOptions = true,
        description = "Runs a standalone development ZooKeeper server (not for production).")
public final class ZooKeeperCommand implements Callable<Integer> {
    @Option(names = "--port", defaultValue = "2181", description = "Client port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--bind", defaultValue = "127.0.0.1", description = "Address to bind (default: ${DEFAULT-VALUE}).")
    String bind;

    @Option(names = "--data-dir", defaultValue = "argus-data/zookeeper", description = "Data directory (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--zk-auth-file", description = "Cluster credentials file (USER:PASSWORD, mode 0600). "
            + "Default: zk-auth in the data directory, created with a random password if absent.")
    @Nullable Path authFile;

    @Override
    public Integer call() throws Exception {
        Path creds = authFile != null ? authFile : dataDir.resolve("zk-auth");
        if (!Files.exists(creds)) {
            ZkCredentials.generate().writeTo(creds);
        } else {
            ZkCredentials.fromFile(creds); // fail now on a malformed file
        }
        EmbeddedZooKeeper zk = EmbeddedZooKeeper.start(dataDir, port, bind, true);
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            zk.close();
            done.countDown();
        }));
        System.out.println("ZooKeeper requires the cluster credentials in " + creds.toAbsolutePath()
                + "; give every agent, coordinator and client --zk-auth-file " + creds.toAbsolutePath());
        System.out.println("ZK-READY " + bind + ":" + zk.port());
        System.out.flush();
        done.await();
        return 0;
    }
}
