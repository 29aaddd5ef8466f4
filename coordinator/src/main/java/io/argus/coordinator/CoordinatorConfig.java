package io.argus.coordinator;

import io.argus.coordinator.assign.AssignmentConfig;
import io.argus.coordinator.http.ImageRequestConfig;
import io.argus.coordinator.liveness.CrashProbeConfig;
import io.argus.coordinator.mqtt.MqttConfig;
import io.argus.coordinator.store.DiskSpace;
import io.argus.coordinator.store.StoreSettings;
import io.argus.protocol.ProtocolConstants;
import io.argus.protocol.client.AgentBreakerConfig;
import io.argus.cluster.BindAddress;
import io.argus.cluster.ZkClients;
import io.argus.cluster.ZkCredentials;
import io.argus.cluster.ZkPaths;
import io.argus.protocol.tls.TlsSettings;
import io.argus.protocol.util.SettingRange;
import org.jspecify.annotations.Nullable;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Immutable configuration of a coordinator; every default is a {@code DEFAULT_*} constant (or the
 * named constant of the component it configures), documented on its builder method, and every
 * setting is range-checked when the configuration is built: a value outside its range is an error
 * naming the setting, never clamped.
 *
 * <p>Its length is one documented {@code DEFAULT_*} constant, builder method and range check per
 * setting; there is no logic here to split out.
 */
public final class CoordinatorConfig {
    /** HTTP API port: 8080, the usual alternative HTTP port. 0 picks a free one. */
    public static final int DEFAULT_HTTP_PORT = 8080;
    /** Event ingestion port: 0, any free port; agents find it in ZooKeeper. */
    public static final int DEFAULT_EVENT_PORT = 0;
    /** Address published to agents and clients: loopback, which serves one machine only. */
    public static final String DEFAULT_ADVERTISE_HOST = "127.0.0.1";
    /** Gateway image request timeout (all its tasks and images, on one agent): 2000 ms; then the request gets 504 and the agent's breaker counts a failure. */
    public static final long DEFAULT_IMAGE_TIMEOUT_MS = 2_000;
    /** Largest HTTP body: the frame protocol's envelope limit (16 MiB), so any frame an agent takes fits. */
    public static final int DEFAULT_MAX_BODY_BYTES = ProtocolConstants.DEFAULT_MAX_FRAME_BYTES;
    /** ZooKeeper session timeout: {@link ZkClients#DEFAULT_SESSION_TIMEOUT_MS} (6000 ms), as for agents. */
    public static final int DEFAULT_SESSION_TIMEOUT_MS = ZkClients.DEFAULT_SESSION_TIMEOUT_MS;
    /** Root znode of the cluster: {@link ZkPaths#DEFAULT_ROOT}. */
    public static final String DEFAULT_ZK_ROOT = ZkPaths.DEFAULT_ROOT;
    /** Free space below which /healthz is degraded: {@link DiskSpace#DEFAULT_MIN_FREE_BYTES} (256 MiB). */
    public static final long DEFAULT_MIN_FREE_DISK_BYTES = DiskSpace.DEFAULT_MIN_FREE_BYTES;
    /** Image requests per second per client (principal or address). */
    public static final double DEFAULT_RATE_PER_SECOND = 50;
    /** Clients whose rate limiters are kept at once; the least recently seen beyond it are dropped. */
    public static final int DEFAULT_RATE_LIMIT_MAX_CLIENTS = 10_000;
    /** A client's rate limiter is dropped after this long without a request. */
    public static final long DEFAULT_RATE_LIMIT_IDLE_MS = 60_000;
    /** Longest time from a connection's first byte of a request (or its opening) to the whole request. */
    public static final long DEFAULT_REQUEST_DEADLINE_MS = 10_000;
    /** Open gateway connections, all clients together; more are closed as they are accepted. */
    public static final int DEFAULT_MAX_CONNECTIONS = 1024;
    /** Open gateway connections from one remote address. */
    public static final int DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 64;
    /** Requests waiting for the blocking executor (ZooKeeper, database); more get 503 OVERLOADED. */
    public static final int DEFAULT_BLOCKING_QUEUE = 256;
    /** Longest time /healthz takes; checks not done by then are reported as problems. */
    public static final long DEFAULT_HEALTH_TIMEOUT_MS = 1_000;

    private final String id;
    private final String zkConnect;
    private final String zkRoot;
    private final int sessionTimeoutMs;
    private final String bindHost;
    private final String advertiseHost;
    private final int httpPort;
    private final int eventPort;
    private final Path dataDir;
    private final int maxBodyBytes;
    private final long imageTimeoutMs;
    private final double ratePerSecond;
    private final List<String> tokens;
    private final String agentToken;
    private final @Nullable TlsSettings tls;
    private final @Nullable ZkCredentials zkCredentials;
    private final int rateLimitMaxClients;
    private final long rateLimitIdleMs;
    private final long requestDeadlineMs;
    private final int maxConnections;
    private final int maxConnectionsPerAddress;
    private final int blockingQueue;
    private final long healthTimeoutMs;
    private final long minFreeDiskBytes;
    private final StoreSettings store;
    private final AssignmentConfig assignment;
    private final CrashProbeConfig crashProbe;
    private final ImageRequestConfig images;
    private final AgentBreakerConfig agentBreaker;
    private final MqttConfig mqtt;

    private CoordinatorConfig(Builder b) {
        this.id = ZkPaths.checkName(Objects.requireNonNull(b.id, "id"));
        this.zkConnect = Objects.requireNonNull(b.zkConnect, "zkConnect");
        this.zkRoot = Objects.requireNonNull(b.zkRoot, "zkRoot");
        this.sessionTimeoutMs = SettingRange.check("sessionTimeoutMs", b.sessionTimeoutMs, 500, 600_000);
        this.tls = b.tls;
        this.zkCredentials = b.zkCredentials;
        this.bindHost = BindAddress.orDefault(b.bindHost, tls != null);
        if (tls == null) {
            TlsSettings.requireLoopbackForPlaintext(bindHost, "coordinator");
        }
        this.advertiseHost = Objects.requireNonNull(b.advertiseHost, "advertiseHost");
        this.httpPort = SettingRange.check("httpPort", b.httpPort, 0, 65_535);
        this.eventPort = SettingRange.check("eventPort", b.eventPort, 0, 65_535);
        this.dataDir = Objects.requireNonNull(b.dataDir, "dataDir");
        this.maxBodyBytes = SettingRange.check("maxBodyBytes", b.maxBodyBytes, 1_024, 1 << 30);
        this.imageTimeoutMs = SettingRange.check("imageTimeoutMs", b.imageTimeoutMs, 1, 600_000);
        this.ratePerSecond = SettingRange.check("ratePerSecond", b.ratePerSecond, 0.001, 1_000_000);
        this.rateLimitMaxClients = SettingRange.check("rateLimitMaxClients", b.rateLimitMaxClients, 1, 10_000_000);
        this.rateLimitIdleMs = SettingRange.check("rateLimitIdleMs", b.rateLimitIdleMs, 1_000, 86_400_000);
        this.requestDeadlineMs = SettingRange.check("requestDeadlineMs", b.requestDeadlineMs, 100, 600_000);
        this.maxConnections = SettingRange.check("maxConnections", b.maxConnections, 1, 1_000_000);
        this.maxConnectionsPerAddress = SettingRange.check("maxConnectionsPerAddress", b.maxConnectionsPerAddress, 1,
                maxConnections);
        this.blockingQueue = SettingRange.check("blockingQueue", b.blockingQueue, 1, 1_000_000);
        this.healthTimeoutMs = SettingRange.check("healthTimeoutMs", b.healthTimeoutMs, 50, 60_000);
        this.minFreeDiskBytes = SettingRange.check("minFreeDiskBytes", b.minFreeDiskBytes, 0, Long.MAX_VALUE);
        this.store = Objects.requireNonNull(b.store, "store");
        this.assignment = Objects.requireNonNull(b.assignment, "assignment");
        this.crashProbe = Objects.requireNonNull(b.crashProbe, "crashProbe");
        this.images = Objects.requireNonNull(b.images, "images");
        this.agentBreaker = Objects.requireNonNull(b.agentBreaker, "agentBreaker");
        this.mqtt = Objects.requireNonNull(b.mqtt, "mqtt");
        this.tokens = List.copyOf(b.tokens);
        this.agentToken = b.agentToken;
    }

    public String id() {
        return id;
    }

    public String zkConnect() {
        return zkConnect;
    }

    public String zkRoot() {
        return zkRoot;
    }

    public int sessionTimeoutMs() {
        return sessionTimeoutMs;
    }

    public String bindHost() {
        return bindHost;
    }

    public String advertiseHost() {
        return advertiseHost;
    }

    public int httpPort() {
        return httpPort;
    }

    public int eventPort() {
        return eventPort;
    }

    public Path dataDir() {
        return dataDir;
    }

    public int maxBodyBytes() {
        return maxBodyBytes;
    }

    public long imageTimeoutMs() {
        return imageTimeoutMs;
    }

    public double ratePerSecond() {
        return ratePerSecond;
    }

    public List<String> tokens() {
        return tokens;
    }

    public String agentToken() {
        return agentToken;
    }

    /** TLS settings, or null for plaintext (loopback only). */
    public @Nullable TlsSettings tls() {
        return tls;
    }

    /** The cluster's ZooKeeper credentials, or null for an open cluster. */
    public @Nullable ZkCredentials zkCredentials() {
        return zkCredentials;
    }

    public int rateLimitMaxClients() {
        return rateLimitMaxClients;
    }

    public long rateLimitIdleMs() {
        return rateLimitIdleMs;
    }

    public long requestDeadlineMs() {
        return requestDeadlineMs;
    }

    public int maxConnections() {
        return maxConnections;
    }

    public int maxConnectionsPerAddress() {
        return maxConnectionsPerAddress;
    }

    public int blockingQueue() {
        return blockingQueue;
    }

    public long healthTimeoutMs() {
        return healthTimeoutMs;
    }

    public long minFreeDiskBytes() {
        return minFreeDiskBytes;
    }

    public StoreSettings store() {
        return store;
    }

    public AssignmentConfig assignment() {
        return assignment;
    }

    public CrashProbeConfig crashProbe() {
        return crashProbe;
    }

    /** Bounds of one gateway image request (images per request). */
    public ImageRequestConfig images() {
        return images;
    }

    public AgentBreakerConfig agentBreaker() {
        return agentBreaker;
    }

    public MqttConfig mqtt() {
        return mqtt;
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private @Nullable String id;
        private @Nullable String zkConnect;
        private String zkRoot = DEFAULT_ZK_ROOT;
        private int sessionTimeoutMs = DEFAULT_SESSION_TIMEOUT_MS;
        private @Nullable String bindHost;
        private @Nullable TlsSettings tls;
        private @Nullable ZkCredentials zkCredentials;
        private String advertiseHost = DEFAULT_ADVERTISE_HOST;
        private int httpPort = DEFAULT_HTTP_PORT;
        private int eventPort = DEFAULT_EVENT_PORT;
        private @Nullable Path dataDir;
        private int maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
        private long imageTimeoutMs = DEFAULT_IMAGE_TIMEOUT_MS;
        private double ratePerSecond = DEFAULT_RATE_PER_SECOND;
        private int rateLimitMaxClients = DEFAULT_RATE_LIMIT_MAX_CLIENTS;
        private long rateLimitIdleMs = DEFAULT_RATE_LIMIT_IDLE_MS;
        private long requestDeadlineMs = DEFAULT_REQUEST_DEADLINE_MS;
        private int maxConnections = DEFAULT_MAX_CONNECTIONS;
        private int maxConnectionsPerAddress = DEFAULT_MAX_CONNECTIONS_PER_ADDRESS;
        private int blockingQueue = DEFAULT_BLOCKING_QUEUE;
        private long healthTimeoutMs = DEFAULT_HEALTH_TIMEOUT_MS;
        private long minFreeDiskBytes = DEFAULT_MIN_FREE_DISK_BYTES;
        private StoreSettings store = StoreSettings.DEFAULT;
        private AssignmentConfig assignment = AssignmentConfig.DEFAULT;
        private CrashProbeConfig crashProbe = CrashProbeConfig.DEFAULT;
        private ImageRequestConfig images = ImageRequestConfig.DEFAULT;
        private AgentBreakerConfig agentBreaker = AgentBreakerConfig.DEFAULT;
        private MqttConfig mqtt = MqttConfig.DEFAULT;
        private List<String> tokens = List.of();
        private String agentToken = "";

        /** Coordinator id (latch participant id, endpoint name). Required. */
        public Builder id(String v) {
            this.id = v;
            return this;
        }

        /** ZooKeeper connect string. Required. */
        public Builder zkConnect(String v) {
            this.zkConnect = v;
            return this;
        }

        /** Root znode. Default {@link #DEFAULT_ZK_ROOT} ({@code /argus}). */
        public Builder zkRoot(String v) {
            this.zkRoot = v;
            return this;
        }

        /**
         * ZooKeeper session timeout. Default {@link #DEFAULT_SESSION_TIMEOUT_MS} (6000 ms); 500 ms to 10 min: a dead leader's latch node expires after
         * this long, and a standby takes over then. A leader that is merely disconnected stops
         * acting at once (SUSPENDED), before the session expires.
         */
        public Builder sessionTimeoutMs(int v) {
            this.sessionTimeoutMs = v;
            return this;
        }

        /**
         * The cluster's ZooKeeper credentials: assignments, configuration and the coordinator's own
         * nodes are created under their digest ACL. Default none (an open cluster).
         */
        public Builder zkCredentials(@Nullable ZkCredentials v) {
            this.zkCredentials = v;
            return this;
        }

        /**
         * TLS 1.3 on the gateway (HTTPS) and the event port, and for the gateway's connections to
         * agents. Default none: plaintext, which is only allowed on a loopback bind address.
         */
        public Builder tls(@Nullable TlsSettings v) {
            this.tls = v;
            return this;
        }

        /** Address to bind. Default 0.0.0.0 with TLS, 127.0.0.1 without. */
        public Builder bindHost(@Nullable String v) {
            this.bindHost = v;
            return this;
        }

        /** Address published to agents and clients. Default {@link #DEFAULT_ADVERTISE_HOST} (127.0.0.1). */
        public Builder advertiseHost(String v) {
            this.advertiseHost = v;
            return this;
        }

        /** HTTP port; 0 picks one. Default {@link #DEFAULT_HTTP_PORT} (8080); 0 to 65535. */
        public Builder httpPort(int v) {
            this.httpPort = v;
            return this;
        }

        /** Event ingestion port (argus.v1); 0 ({@link #DEFAULT_EVENT_PORT}) picks one, published in ZooKeeper; 0 to 65535. */
        public Builder eventPort(int v) {
            this.eventPort = v;
            return this;
        }

        /** Directory for the event database and thumbnails. Required. */
        public Builder dataDir(Path v) {
            this.dataDir = v;
            return this;
        }

        /** Largest HTTP body. Default {@link #DEFAULT_MAX_BODY_BYTES} (16 MiB); 1 KiB to 1 GiB; larger requests get 413 from their Content-Length. */
        public Builder maxBodyBytes(int v) {
            this.maxBodyBytes = v;
            return this;
        }

        /** Gateway image request timeout (all its tasks and images). Default {@link #DEFAULT_IMAGE_TIMEOUT_MS} (2000 ms); 1 ms to 10 min; then the request gets 504. */
        public Builder imageTimeoutMs(long v) {
            this.imageTimeoutMs = v;
            return this;
        }

        /**
         * Image requests per second per client. Default {@link #DEFAULT_RATE_PER_SECOND} (50); 0.001 to 10^6; more get 429. A client is its bearer
         * token when the API has tokens, otherwise its remote address: never a header the client
         * chooses, which would let it take a fresh allowance with every request.
         */
        public Builder ratePerSecond(double v) {
            this.ratePerSecond = v;
            return this;
        }

        /** Clients whose rate limiters are kept at once (least recently seen dropped first). Default {@link #DEFAULT_RATE_LIMIT_MAX_CLIENTS} (10000); 1 to 10^7. */
        public Builder rateLimitMaxClients(int v) {
            this.rateLimitMaxClients = v;
            return this;
        }

        /** A client's rate limiter is dropped after this long without a request. Default {@link #DEFAULT_RATE_LIMIT_IDLE_MS} (60000 ms); 1 s to 1 day. */
        public Builder rateLimitIdleMs(long v) {
            this.rateLimitIdleMs = v;
            return this;
        }

        /**
         * Longest time a client may take to send one whole request, from the connection's opening or
         * the request's first byte. Default {@link #DEFAULT_REQUEST_DEADLINE_MS} (10000 ms), 100 ms to 10 min; then it gets 408 and the connection closes (a
         * client sending a byte every few seconds would otherwise hold it forever).
         */
        public Builder requestDeadlineMs(long v) {
            this.requestDeadlineMs = v;
            return this;
        }

        /** Open gateway connections in all. Default {@link #DEFAULT_MAX_CONNECTIONS} (1024); 1 to 10^6; more are closed when accepted. */
        public Builder maxConnections(int v) {
            this.maxConnections = v;
            return this;
        }

        /** Open gateway connections from one remote address. Default {@link #DEFAULT_MAX_CONNECTIONS_PER_ADDRESS} (64); 1 to maxConnections. */
        public Builder maxConnectionsPerAddress(int v) {
            this.maxConnectionsPerAddress = v;
            return this;
        }

        /** Requests queued for the blocking executor (ZooKeeper, database). Default {@link #DEFAULT_BLOCKING_QUEUE} (256); 1 to 10^6; more get 503. */
        public Builder blockingQueue(int v) {
            this.blockingQueue = v;
            return this;
        }

        /** Longest time /healthz takes to answer. Default {@link #DEFAULT_HEALTH_TIMEOUT_MS} (1000 ms); 50 ms to 60 s; unfinished checks are reported as problems. */
        public Builder healthTimeoutMs(long v) {
            this.healthTimeoutMs = v;
            return this;
        }

        /**
         * Free space under the data directory below which /healthz reports the coordinator degraded.
         * Default {@link #DEFAULT_MIN_FREE_DISK_BYTES} (256 MiB); 0 or more.
         */
        public Builder minFreeDiskBytes(long v) {
            this.minFreeDiskBytes = v;
            return this;
        }

        /**
         * The event store's disk reserve and recovery. Default {@link StoreSettings#DEFAULT}
         * (writes refused below 32 MiB free, reopen tried at most every 5 s).
         */
        public Builder store(StoreSettings v) {
            this.store = v;
            return this;
        }

        /** Stream placement and load shedding on the leader. Default {@link AssignmentConfig#DEFAULT}. */
        public Builder assignment(AssignmentConfig v) {
            this.assignment = v;
            return this;
        }

        /** How an agent whose event link closed is probed for a crash. Default {@link CrashProbeConfig#DEFAULT}. */
        public Builder crashProbe(CrashProbeConfig v) {
            this.crashProbe = v;
            return this;
        }

        /** Bounds of one gateway image request. Default {@link ImageRequestConfig#DEFAULT} (16 images). */
        public Builder images(ImageRequestConfig v) {
            this.images = v;
            return this;
        }

        /** The gateway's circuit breaker per agent, as the client's. Default {@link AgentBreakerConfig#DEFAULT}. */
        public Builder agentBreaker(AgentBreakerConfig v) {
            this.agentBreaker = v;
            return this;
        }

        /** Publishing events and counts to an MQTT broker (leader only). Default {@link MqttConfig#DEFAULT}: off. */
        public Builder mqtt(MqttConfig v) {
            this.mqtt = v;
            return this;
        }

        /** Bearer tokens accepted by the HTTP API; empty (default) accepts any client. */
        public Builder tokens(List<String> v) {
            this.tokens = v == null ? List.of() : v;
            return this;
        }

        /** Token the gateway presents to agents. Default empty. */
        public Builder agentToken(String v) {
            this.agentToken = v == null ? "" : v;
            return this;
        }

        public CoordinatorConfig build() {
            return new CoordinatorConfig(this);
        }
    }
}
