package io.argus.coordinator;

import io.argus.coordinator.http.ImageRequestConfig;
import io.argus.coordinator.store.RetentionSettings;
import io.argus.coordinator.store.StoreSettings;
import io.argus.protocol.auth.Tokens;
import io.argus.protocol.util.BoundedShutdown;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
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

    /** ZooKeeper root, session and credentials, TLS, bind address: shared with the agents. */
    @picocli.CommandLine.Mixin
    io.argus.cluster.options.NodeOptions node = new io.argus.cluster.options.NodeOptions();

    @Option(names = "--advertise-host", defaultValue = CoordinatorConfig.DEFAULT_ADVERTISE_HOST, description = "Address published to agents and clients (default: ${DEFAULT-VALUE}).")
    String advertise;

    @Option(names = "--image-timeout-ms", defaultValue = "" + CoordinatorConfig.DEFAULT_IMAGE_TIMEOUT_MS, description = "Gateway timeout per image request (default: ${DEFAULT-VALUE}).")
    long imageTimeoutMs;

    @Option(names = "--max-images", defaultValue = "" + ImageRequestConfig.DEFAULT_MAX_IMAGES, description = "Images in one gateway request, for stitch and mosaic (default: ${DEFAULT-VALUE}).")
    int maxImages;

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

    @Option(names = "--store-url", description = "A shared event store: jdbc:postgresql://HOST[:PORT]/DATABASE. Every "
            + "coordinator given the same one keeps one record (thumbnails in the database too). Default: the embedded "
            + "H2 store under --data-dir.")
    @Nullable String storeUrl;

    @Option(names = "--store-user", defaultValue = "argus", description = "The shared store's user (default: ${DEFAULT-VALUE}).")
    String storeUser;

    @Option(names = "--store-password-file", description = "File whose first line is the shared store's password "
            + "(a file, not an argument: arguments are visible to every user in the process list).")
    @Nullable Path storePasswordFile;

    @Option(names = "--retention-event-days", defaultValue = "" + RetentionSettings.DEFAULT_MAX_EVENT_AGE_DAYS,
            description = "Events stored longer ago than this are deleted (default: ${DEFAULT-VALUE}; RetentionSettings).")
    int retentionEventDays;

    @Option(names = "--retention-max-events", defaultValue = "" + RetentionSettings.DEFAULT_MAX_EVENTS,
            description = "At most this many events are kept, the oldest deleted first (default: ${DEFAULT-VALUE}).")
    long retentionMaxEvents;

    @Option(names = "--retention-thumbnail-days", defaultValue = "" + RetentionSettings.DEFAULT_MAX_THUMBNAIL_AGE_DAYS,
            description = "Thumbnails older than this are deleted; their events stay (default: ${DEFAULT-VALUE}).")
    int retentionThumbnailDays;

    @Option(names = "--retention-thumbnail-mb", defaultValue = "" + RetentionSettings.DEFAULT_MAX_THUMBNAIL_BYTES / (1024 * 1024),
            description = "Thumbnails are kept up to this many MiB in all, the oldest deleted first (default: ${DEFAULT-VALUE}).")
    long retentionThumbnailMb;

    @Option(names = "--agent-token-file", description = "File whose first line is the token the gateway presents to "
            + "agents (their --auth-token-file). Default: none.")
    @Nullable Path agentTokenFile;

    @Option(names = "--token-file", description = "File with accepted bearer tokens, one per line; a file without "
            + "a token is an error (default: no authentication).")
    @Nullable Path tokenFile;

    @Option(names = "--mqtt-url", defaultValue = io.argus.coordinator.mqtt.MqttConfig.DEFAULT_URL,
            description = "MQTT broker to publish events and counts to, tcp://HOST:PORT or ssl://HOST:PORT (ssl checks "
                    + "the broker against --tls-ca and presents --tls-cert when given); the leader publishes. Default: off.")
    String mqttUrl;

    @Option(names = "--mqtt-client-id", defaultValue = io.argus.coordinator.mqtt.MqttConfig.DEFAULT_CLIENT_ID,
            description = "MQTT client id (default: argus-<coordinator id>).")
    String mqttClientId;

    @Option(names = "--mqtt-topic-prefix", defaultValue = io.argus.coordinator.mqtt.MqttConfig.DEFAULT_TOPIC_PREFIX,
            description = "First topic level(s) of events and counts (default: ${DEFAULT-VALUE}).")
    String mqttTopicPrefix;

    @Option(names = "--mqtt-discovery-prefix", defaultValue = io.argus.coordinator.mqtt.MqttConfig.DEFAULT_DISCOVERY_PREFIX,
            description = "Home Assistant discovery prefix (default: ${DEFAULT-VALUE}).")
    String mqttDiscoveryPrefix;

    @Option(names = "--mqtt-discovery", negatable = true, defaultValue = "" + io.argus.coordinator.mqtt.MqttConfig.DEFAULT_DISCOVERY,
            fallbackValue = "true", description = "Publish Home Assistant discovery messages (default: ${DEFAULT-VALUE}).")
    boolean mqttDiscovery;

    @Option(names = "--mqtt-qos", defaultValue = "" + io.argus.coordinator.mqtt.MqttConfig.DEFAULT_QOS,
            description = "QoS of every MQTT message, 0 to 2 (default: ${DEFAULT-VALUE}).")
    int mqttQos;

    @Option(names = "--mqtt-queue", defaultValue = "" + io.argus.coordinator.mqtt.MqttConfig.DEFAULT_QUEUE_CAPACITY,
            description = "Events kept while the broker is slow or away; more are dropped and counted (default: ${DEFAULT-VALUE}).")
    int mqttQueue;

    @Option(names = "--mqtt-reconnect-initial-ms", defaultValue = "" + io.argus.coordinator.mqtt.MqttConfig.DEFAULT_RECONNECT_INITIAL_MS,
            description = "First pause before reconnecting to the broker, doubled after each failure (default: ${DEFAULT-VALUE}).")
    long mqttReconnectInitialMs;

    @Option(names = "--mqtt-reconnect-max-ms", defaultValue = "" + io.argus.coordinator.mqtt.MqttConfig.DEFAULT_RECONNECT_MAX_MS,
            description = "Longest pause between reconnection attempts (default: ${DEFAULT-VALUE}).")
    long mqttReconnectMaxMs;

    @Option(names = "--mqtt-timeout-ms", defaultValue = "" + io.argus.coordinator.mqtt.MqttConfig.DEFAULT_TIMEOUT_MS,
            description = "Longest wait for the broker to connect or acknowledge (default: ${DEFAULT-VALUE}).")
    int mqttTimeoutMs;

    @Option(names = "--mqtt-keep-alive-s", defaultValue = "" + io.argus.coordinator.mqtt.MqttConfig.DEFAULT_KEEP_ALIVE_S,
            description = "MQTT keep-alive interval (default: ${DEFAULT-VALUE}).")
    int mqttKeepAliveS;

    @Option(names = "--mqtt-credentials-file", description = "File with the broker user name on its first line and "
            + "the password on its second (default: none).")
    Path mqttCredentialsFile;

    /** The {@code --mqtt-*} options as a configuration (off without {@code --mqtt-url}). */
    io.argus.coordinator.mqtt.MqttConfig mqttConfig() {
        io.argus.coordinator.mqtt.MqttConfig.Builder b = io.argus.coordinator.mqtt.MqttConfig.builder().url(mqttUrl)
                .clientId(mqttClientId).topicPrefix(mqttTopicPrefix).discoveryPrefix(mqttDiscoveryPrefix)
                .discovery(mqttDiscovery).qos(mqttQos).queueCapacity(mqttQueue)
                .reconnectInitialMs(mqttReconnectInitialMs).reconnectMaxMs(mqttReconnectMaxMs)
                .timeoutMs(mqttTimeoutMs).keepAliveS(mqttKeepAliveS);
        if (mqttCredentialsFile != null) {
            b.credentialsFile(mqttCredentialsFile);
        }
        return b.build();
    }

    /** The {@code --store-*} and {@code --retention-*} options. */
    StoreSettings storeSettings() throws java.io.IOException {
        return StoreSettings.builder()
                .writeReserveBytes(storeWriteReserveMb * 1024 * 1024)
                .url(storeUrl).user(storeUser)
                .password(storePasswordFile == null ? "" : io.argus.protocol.auth.Tokens.readFirst(storePasswordFile))
                .retention(RetentionSettings.builder()
                        .maxEventAge(Duration.ofDays(retentionEventDays)).maxEvents(retentionMaxEvents)
                        .maxThumbnailAge(Duration.ofDays(retentionThumbnailDays))
                        .maxThumbnailBytes(retentionThumbnailMb * 1024 * 1024).build())
                .build();
    }

    @Override
    public Integer call() throws Exception {
        // a token file without a token is an error: an empty list would turn authentication off
        List<String> tokens = tokenFile == null ? List.of() : Tokens.readFile(tokenFile);
        Coordinator c = Coordinator.start(CoordinatorConfig.builder()
                .id(id != null ? id : "coordinator-" + (httpPort == 0 ? ProcessHandle.current().pid() : httpPort))
                .zkConnect(zk).zkRoot(node.zkRoot()).sessionTimeoutMs(node.sessionTimeoutMs()).bindHost(node.bind()).advertiseHost(advertise)
                .httpPort(httpPort).eventPort(eventPort).dataDir(dataDir).imageTimeoutMs(imageTimeoutMs)
                .images(ImageRequestConfig.builder().maxImages(maxImages).build())
                .ratePerSecond(rate).tokens(tokens).tls(node.tls()).zkCredentials(node.zkCredentials())
                .agentToken(agentTokenFile == null ? "" : io.argus.protocol.auth.Tokens.readFirst(agentTokenFile))
                .rateLimitMaxClients(rateClients).rateLimitIdleMs(rateIdleMs).requestDeadlineMs(requestDeadlineMs)
                .maxConnections(maxConnections).maxConnectionsPerAddress(maxConnectionsPerAddress)
                .blockingQueue(blockingQueue).healthTimeoutMs(healthTimeoutMs).minFreeDiskBytes(minFreeDiskMb * 1024 * 1024)
                .store(storeSettings())
                .mqtt(mqttConfig())
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
