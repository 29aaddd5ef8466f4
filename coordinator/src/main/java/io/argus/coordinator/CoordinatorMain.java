package io.argus.coordinator;

import io.argus.coordinator.store.StoreSettings;
import io.argus.protocol.auth.Tokens;
import io.argus.protocol.cluster.ZkAuthOptions;
import io.argus.protocol.tls.TlsOptions;
import io.argus.protocol.util.BoundedShutdown;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code argus coordinator}: runs a coordinator until SIGTERM. */
@Command(name = "coordinator", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Runs an Argus coordinator: leader election, stream assignment, configuration, event store, HTTP API.")
public final class CoordinatorMain implements Callable<Integer> {
    @Option(names = "--zk", required = true, description = "ZooKeeper connect string.")
    String zk;

    @Option(names = "--http-port", defaultValue = "" + CoordinatorConfig.DEFAULT_HTTP_PORT, description = "HTTP API port; 0 = any (default: ${DEFAULT-VALUE}).")
    int httpPort;

    @Option(names = "--event-port", defaultValue = "" + CoordinatorConfig.DEFAULT_EVENT_PORT,
            description = "Port agents publish events to; 0 = any (default: ${DEFAULT-VALUE}).")
    int eventPort;

    @Option(names = "--data-dir", required = true, description = "Directory for the event database and thumbnails.")
    Path dataDir;

    @Option(names = "--id", description = "Coordinator id (default: coordinator-<http port>).")
    @Nullable String id;

    @Option(names = "--bind", description = "Address to bind (default: 0.0.0.0 with TLS, 127.0.0.1 without).")
    @Nullable String bind;

    @Mixin
    TlsOptions tls = new TlsOptions();

    @Mixin
    ZkAuthOptions zkAuth = new ZkAuthOptions();

    @Option(names = "--advertise-host", defaultValue = CoordinatorConfig.DEFAULT_ADVERTISE_HOST, description = "Address published to agents and clients (default: ${DEFAULT-VALUE}).")
    String advertise;

    @Option(names = "--zk-root", defaultValue = CoordinatorConfig.DEFAULT_ZK_ROOT, description = "Cluster root znode (default: ${DEFAULT-VALUE}).")
    String zkRoot;

    @Option(names = "--session-timeout-ms", defaultValue = "" + CoordinatorConfig.DEFAULT_SESSION_TIMEOUT_MS, description = "ZooKeeper session timeout: bounds standby takeover (default: ${DEFAULT-VALUE}).")
    int sessionTimeoutMs;

    @Option(names = "--image-timeout-ms", defaultValue = "" + CoordinatorConfig.DEFAULT_IMAGE_TIMEOUT_MS, description = "Gateway timeout per image request (default: ${DEFAULT-VALUE}).")
    long imageTimeoutMs;

    @Option(names = "--rate", defaultValue = "" + CoordinatorConfig.DEFAULT_RATE_PER_SECOND, description = "Image requests per second per client (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--rate-clients", defaultValue = "" + CoordinatorConfig.DEFAULT_RATE_LIMIT_MAX_CLIENTS,
            description = "Clients (token or address) whose rate limiters are kept; least recently seen dropped first (default: ${DEFAULT-VALUE}).")
    int rateClients;

    @Option(names = "--rate-idle-ms", defaultValue = "" + CoordinatorConfig.DEFAULT_RATE_LIMIT_IDLE_MS,
            description = "A client's rate limiter is dropped after this long unused (default: ${DEFAULT-VALUE}).")
    long rateIdleMs;

    @Option(names = "--request-deadline-ms", defaultValue = "" + CoordinatorConfig.DEFAULT_REQUEST_DEADLINE_MS,
            description = "Longest time to receive one whole HTTP request; then 408 and close (default: ${DEFAULT-VALUE}).")
    long requestDeadlineMs;

    @Option(names = "--max-connections", defaultValue = "" + CoordinatorConfig.DEFAULT_MAX_CONNECTIONS,
            description = "Open HTTP connections in all; more are closed when accepted (default: ${DEFAULT-VALUE}).")
    int maxConnections;

    @Option(names = "--max-connections-per-address", defaultValue = "" + CoordinatorConfig.DEFAULT_MAX_CONNECTIONS_PER_ADDRESS,
            description = "Open HTTP connections from one remote address (default: ${DEFAULT-VALUE}).")
    int maxConnectionsPerAddress;

    @Option(names = "--blocking-queue", defaultValue = "" + CoordinatorConfig.DEFAULT_BLOCKING_QUEUE,
            description = "Requests queued for ZooKeeper/database work; more get 503 OVERLOADED (default: ${DEFAULT-VALUE}).")
    int blockingQueue;

    @Option(names = "--health-timeout-ms", defaultValue = "" + CoordinatorConfig.DEFAULT_HEALTH_TIMEOUT_MS,
            description = "Longest time /healthz takes; unfinished checks are reported as problems (default: ${DEFAULT-VALUE}).")
    long healthTimeoutMs;

    @Option(names = "--min-free-disk-mb", defaultValue = "" + CoordinatorConfig.DEFAULT_MIN_FREE_DISK_BYTES / (1024 * 1024),
            description = "Free space under --data-dir below which /healthz reports degraded (default: ${DEFAULT-VALUE}).")
    long minFreeDiskMb;

    @Option(names = "--store-write-reserve-mb", defaultValue = ""
            + StoreSettings.DEFAULT_WRITE_RESERVE_BYTES / (1024 * 1024),
            description = "Free space under --data-dir below which event writes are refused (agents keep and resend "
                    + "them) before the database meets a full disk; reads go on (default: ${DEFAULT-VALUE}).")
    long storeWriteReserveMb;

    @Option(names = "--agent-token-file", description = "File whose first line is the token the gateway presents to "
            + "agents (their --auth-token-file). Default: none.")
    @Nullable Path agentTokenFile;

    @Option(names = "--token-file", description = "File with accepted bearer tokens, one per line; a file without "
            + "a token is an error (default: no authentication).")
    @Nullable Path tokenFile;

    @Override
    public Integer call() throws Exception {
        // a token file without a token is an error: an empty list would turn authentication off
        List<String> tokens = tokenFile == null ? List.of() : Tokens.readFile(tokenFile);
        Coordinator c = Coordinator.start(CoordinatorConfig.builder()
                .id(id != null ? id : "coordinator-" + (httpPort == 0 ? ProcessHandle.current().pid() : httpPort))
                .zkConnect(zk).zkRoot(zkRoot).sessionTimeoutMs(sessionTimeoutMs).bindHost(bind).advertiseHost(advertise)
                .httpPort(httpPort).eventPort(eventPort).dataDir(dataDir).imageTimeoutMs(imageTimeoutMs)
                .ratePerSecond(rate).tokens(tokens).tls(tls.settings()).zkCredentials(zkAuth.credentials())
                .agentToken(agentTokenFile == null ? "" : Tokens.readFirst(agentTokenFile))
                .rateLimitMaxClients(rateClients).rateLimitIdleMs(rateIdleMs).requestDeadlineMs(requestDeadlineMs)
                .maxConnections(maxConnections).maxConnectionsPerAddress(maxConnectionsPerAddress)
                .blockingQueue(blockingQueue).healthTimeoutMs(healthTimeoutMs).minFreeDiskBytes(minFreeDiskMb * 1024 * 1024)
                .store(StoreSettings.builder()
                        .writeReserveBytes(storeWriteReserveMb * 1024 * 1024).build())
                .build());
        CountDownLatch done = new CountDownLatch(1);
        // 10 s: enough to deregister and close the store; ZooKeeper being gone must not hang a SIGTERM
        BoundedShutdown.install("argus-coordinator", c, Duration.ofSeconds(10), done);
        System.out.println("COORDINATOR-READY id=" + c.id() + " http=" + c.httpPort() + " events=" + c.eventPort());
        System.out.flush();
        done.await();
        return 0;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new CoordinatorMain()).execute(args));
    }
}
