package io.argus.app.cli;

import io.argus.agent.embedded.EmbeddedZooKeeper;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code argus zk}: a single ZooKeeper server for development and benchmarks. Production
 * clusters use a real ensemble (three or five servers); see the README.
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

    @Override
    public Integer call() throws Exception {
        EmbeddedZooKeeper zk = EmbeddedZooKeeper.start(dataDir, port, bind);
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            zk.close();
            done.countDown();
        }));
        System.out.println("ZK-READY " + bind + ":" + zk.port());
        System.out.flush();
        done.await();
        return 0;
    }
}
