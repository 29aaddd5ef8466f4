package io.argus.coordinator;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code argus coordinator}: runs a coordinator until SIGTERM. */
@Command(name = "coordinator", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Runs an Argus coordinator: leader election, stream assignment, configuration, event store, HTTP API.")
public final class CoordinatorMain implements Callable<Integer> {
    @Option(names = "--zk", required = true, description = "ZooKeeper connect string.")
    String zk;

    @Option(names = "--http-port", defaultValue = "8080", description = "HTTP API port; 0 = any (default: ${DEFAULT-VALUE}).")
    int httpPort;

    @Option(names = "--event-port", defaultValue = "0", description = "Port agents publish events to; 0 = any (default).")
    int eventPort;

    @Option(names = "--data-dir", required = true, description = "Directory for the event database and thumbnails.")
    Path dataDir;

    @Option(names = "--id", description = "Coordinator id (default: coordinator-<http port>).")
    String id;

    @Option(names = "--bind", description = "Address to bind (default: 0.0.0.0 with TLS, 127.0.0.1 without).")
    String bind;

    @picocli.CommandLine.Mixin
    io.argus.protocol.tls.TlsOptions tls = new io.argus.protocol.tls.TlsOptions();

    @picocli.CommandLine.Mixin
    io.argus.protocol.cluster.ZkAuthOptions zkAuth = new io.argus.protocol.cluster.ZkAuthOptions();

    @Option(names = "--advertise-host", defaultValue = "127.0.0.1", description = "Address published to agents and clients (default: ${DEFAULT-VALUE}).")
    String advertise;

    @Option(names = "--zk-root", defaultValue = "/argus", description = "Cluster root znode (default: ${DEFAULT-VALUE}).")
    String zkRoot;

    @Option(names = "--session-timeout-ms", defaultValue = "6000", description = "ZooKeeper session timeout: bounds standby takeover (default: ${DEFAULT-VALUE}).")
    int sessionTimeoutMs;

    @Option(names = "--image-timeout-ms", defaultValue = "2000", description = "Gateway timeout per image request (default: ${DEFAULT-VALUE}).")
    long imageTimeoutMs;

    @Option(names = "--rate", defaultValue = "50", description = "Image requests per second per client (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--agent-token-file", description = "File whose first line is the token the gateway presents to "
            + "agents (their --auth-token-file). Default: none.")
    Path agentTokenFile;

    @Option(names = "--token-file", description = "File with accepted bearer tokens, one per line (default: no authentication).")
    Path tokenFile;

    @Override
    public Integer call() throws Exception {
        List<String> tokens = tokenFile == null ? List.of()
                : Files.readAllLines(tokenFile).stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
        Coordinator c = Coordinator.start(CoordinatorConfig.builder()
                .id(id != null ? id : "coordinator-" + (httpPort == 0 ? ProcessHandle.current().pid() : httpPort))
                .zkConnect(zk).zkRoot(zkRoot).sessionTimeoutMs(sessionTimeoutMs).bindHost(bind).advertiseHost(advertise)
                .httpPort(httpPort).eventPort(eventPort).dataDir(dataDir).imageTimeoutMs(imageTimeoutMs)
                .ratePerSecond(rate).tokens(tokens).tls(tls.settings()).zkCredentials(zkAuth.credentials())
                .agentToken(agentTokenFile == null ? "" : Files.readAllLines(agentTokenFile).stream().map(String::trim)
                        .findFirst().orElse(""))
                .build());
        CountDownLatch done = new CountDownLatch(1);
        // 10 s: enough to deregister and close the store; ZooKeeper being gone must not hang a SIGTERM
        io.argus.protocol.util.BoundedShutdown.install("argus-coordinator", c, java.time.Duration.ofSeconds(10), done);
        System.out.println("COORDINATOR-READY id=" + c.id() + " http=" + c.httpPort() + " events=" + c.eventPort());
        System.out.flush();
        done.await();
        return 0;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new CoordinatorMain()).execute(args));
    }
}
