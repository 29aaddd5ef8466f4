package io.argus.coordinator;

import io.argus.protocol.ProtocolConstants;
import io.argus.protocol.cluster.ZkClients;
import io.argus.protocol.cluster.ZkCredentials;
import io.argus.protocol.cluster.ZkPaths;
import io.argus.protocol.tls.TlsSettings;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/** Immutable configuration of a coordinator; every default is documented on its builder method. */
public final class CoordinatorConfig {
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

    final String id;
    final String zkConnect;
    final String zkRoot;
    final int sessionTimeoutMs;
    final String bindHost;
    final String advertiseHost;
    final int httpPort;
    final int eventPort;
    final Path dataDir;
    final int maxBodyBytes;
    final long imageTimeoutMs;
    final double ratePerSecond;
    final List<String> tokens;
    final String agentToken;
    final TlsSettings tls;
    final ZkCredentials zkCredentials;
    final int rateLimitMaxClients;
    final long rateLimitIdleMs;
    final long requestDeadlineMs;
    final int maxConnections;
    final int maxConnectionsPerAddress;
    final int blockingQueue;
    final long healthTimeoutMs;
    final long minFreeDiskBytes;
    final io.argus.coordinator.store.StoreSettings store;

    private CoordinatorConfig(Builder b) {
        this.id = ZkPaths.checkName(Objects.requireNonNull(b.id, "id"));
        this.zkConnect = Objects.requireNonNull(b.zkConnect, "zkConnect");
        this.zkRoot = b.zkRoot;
        this.sessionTimeoutMs = b.sessionTimeoutMs;
        this.tls = b.tls;
        this.zkCredentials = b.zkCredentials;
        this.bindHost = b.bindHost != null ? b.bindHost : (tls != null ? "0.0.0.0" : "127.0.0.1");
        if (tls == null) {
            TlsSettings.requireLoopbackForPlaintext(bindHost, "coordinator");
        }
        this.advertiseHost = b.advertiseHost;
        this.httpPort = b.httpPort;
        this.eventPort = b.eventPort;
        this.dataDir = Objects.requireNonNull(b.dataDir, "dataDir");
        this.maxBodyBytes = b.maxBodyBytes;
        this.imageTimeoutMs = b.imageTimeoutMs;
        this.ratePerSecond = range("ratePerSecond", b.ratePerSecond, 0.001, 1_000_000);
        this.rateLimitMaxClients = (int) range("rateLimitMaxClients", b.rateLimitMaxClients, 1, 10_000_000);
        this.rateLimitIdleMs = (long) range("rateLimitIdleMs", b.rateLimitIdleMs, 1_000, 86_400_000);
        this.requestDeadlineMs = (long) range("requestDeadlineMs", b.requestDeadlineMs, 100, 600_000);
        this.maxConnections = (int) range("maxConnections", b.maxConnections, 1, 1_000_000);
        this.maxConnectionsPerAddress = (int) range("maxConnectionsPerAddress", b.maxConnectionsPerAddress, 1,
                maxConnections);
        this.blockingQueue = (int) range("blockingQueue", b.blockingQueue, 1, 1_000_000);
        this.healthTimeoutMs = (long) range("healthTimeoutMs", b.healthTimeoutMs, 50, 60_000);
        if (b.minFreeDiskBytes < 0) {
            throw new IllegalArgumentException("minFreeDiskBytes = " + b.minFreeDiskBytes + " is negative");
        }
        this.minFreeDiskBytes = b.minFreeDiskBytes;
        this.store = Objects.requireNonNull(b.store, "store");
        this.tokens = List.copyOf(b.tokens);
        this.agentToken = b.agentToken;
    }

    /** A setting outside its range is a configuration error, not something to clamp silently. */
    private static double range(String name, double v, double min, double max) {
        if (!(v >= min && v <= max)) { // also refuses NaN
            throw new IllegalArgumentException(name + " = " + fmt(v) + " is out of range [" + fmt(min) + ", " + fmt(max) + "]");
        }
        return v;
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private String id;
        private String zkConnect;
        private String zkRoot = ZkPaths.DEFAULT_ROOT;
        private int sessionTimeoutMs = ZkClients.DEFAULT_SESSION_TIMEOUT_MS;
        private String bindHost;
        private TlsSettings tls;
        private ZkCredentials zkCredentials;
        private String advertiseHost = "127.0.0.1";
        private int httpPort = 8080;
        private int eventPort;
        private Path dataDir;
        private int maxBodyBytes = ProtocolConstants.DEFAULT_MAX_FRAME_BYTES;
        private long imageTimeoutMs = 2_000;
        private double ratePerSecond = DEFAULT_RATE_PER_SECOND;
        private int rateLimitMaxClients = DEFAULT_RATE_LIMIT_MAX_CLIENTS;
        private long rateLimitIdleMs = DEFAULT_RATE_LIMIT_IDLE_MS;
        private long requestDeadlineMs = DEFAULT_REQUEST_DEADLINE_MS;
        private int maxConnections = DEFAULT_MAX_CONNECTIONS;
        private int maxConnectionsPerAddress = DEFAULT_MAX_CONNECTIONS_PER_ADDRESS;
        private int blockingQueue = DEFAULT_BLOCKING_QUEUE;
        private long healthTimeoutMs = DEFAULT_HEALTH_TIMEOUT_MS;
        private long minFreeDiskBytes = io.argus.coordinator.store.DiskSpace.DEFAULT_MIN_FREE_BYTES;
        private io.argus.coordinator.store.StoreSettings store = io.argus.coordinator.store.StoreSettings.DEFAULT;
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

        /** Root znode. Default {@code /argus}. */
        public Builder zkRoot(String v) {
            this.zkRoot = v;
            return this;
        }

        /**
         * ZooKeeper session timeout. Default 6000 ms: a dead leader's latch node expires after
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
        public Builder zkCredentials(ZkCredentials v) {
            this.zkCredentials = v;
            return this;
        }

        /**
         * TLS 1.3 on the gateway (HTTPS) and the event port, and for the gateway's connections to
         * agents. Default none: plaintext, which is only allowed on a loopback bind address.
         */
        public Builder tls(TlsSettings v) {
            this.tls = v;
            return this;
        }

        /** Address to bind. Default 0.0.0.0 with TLS, 127.0.0.1 without. */
        public Builder bindHost(String v) {
            this.bindHost = v;
            return this;
        }

        /** Address published to agents and clients. Default 127.0.0.1. */
        public Builder advertiseHost(String v) {
            this.advertiseHost = v;
            return this;
        }

        /** HTTP port; 0 picks one. Default 8080. */
        public Builder httpPort(int v) {
            this.httpPort = v;
            return this;
        }

        /** Event ingestion port (argus.v1); 0 (default) picks one, published in ZooKeeper. */
        public Builder eventPort(int v) {
            this.eventPort = v;
            return this;
        }

        /** Directory for the event database and thumbnails. Required. */
        public Builder dataDir(Path v) {
            this.dataDir = v;
            return this;
        }

        /** Largest HTTP body. Default 16 MiB; larger requests get 413 from their Content-Length. */
        public Builder maxBodyBytes(int v) {
            this.maxBodyBytes = v;
            return this;
        }

        /** Gateway sub-request timeout. Default 2000 ms; then the request gets 504. */
        public Builder imageTimeoutMs(long v) {
            this.imageTimeoutMs = v;
            return this;
        }

        /**
         * Image requests per second per client. Default 50; more get 429. A client is its bearer
         * token when the API has tokens, otherwise its remote address: never a header the client
         * chooses, which would let it take a fresh allowance with every request.
         */
        public Builder ratePerSecond(double v) {
            this.ratePerSecond = v;
            return this;
        }

        /** Clients whose rate limiters are kept at once (least recently seen dropped first). Default 10000. */
        public Builder rateLimitMaxClients(int v) {
            this.rateLimitMaxClients = v;
            return this;
        }

        /** A client's rate limiter is dropped after this long without a request. Default 60000 ms. */
        public Builder rateLimitIdleMs(long v) {
            this.rateLimitIdleMs = v;
            return this;
        }

        /**
         * Longest time a client may take to send one whole request, from the connection's opening or
         * the request's first byte. Default 10000 ms; then it gets 408 and the connection closes (a
         * client sending a byte every few seconds would otherwise hold it forever).
         */
        public Builder requestDeadlineMs(long v) {
            this.requestDeadlineMs = v;
            return this;
        }

        /** Open gateway connections in all. Default 1024; more are closed when accepted. */
        public Builder maxConnections(int v) {
            this.maxConnections = v;
            return this;
        }

        /** Open gateway connections from one remote address. Default 64; at most maxConnections. */
        public Builder maxConnectionsPerAddress(int v) {
            this.maxConnectionsPerAddress = v;
            return this;
        }

        /** Requests queued for the blocking executor (ZooKeeper, database). Default 256; more get 503. */
        public Builder blockingQueue(int v) {
            this.blockingQueue = v;
            return this;
        }

        /** Longest time /healthz takes to answer. Default 1000 ms; unfinished checks are reported as problems. */
        public Builder healthTimeoutMs(long v) {
            this.healthTimeoutMs = v;
            return this;
        }

        /**
         * Free space under the data directory below which /healthz reports the coordinator degraded.
         * Default {@link io.argus.coordinator.store.DiskSpace#DEFAULT_MIN_FREE_BYTES} (256 MiB); 0 or more.
         */
        public Builder minFreeDiskBytes(long v) {
            this.minFreeDiskBytes = v;
            return this;
        }

        /**
         * The event store's disk reserve and recovery. Default {@link io.argus.coordinator.store.StoreSettings#DEFAULT}
         * (writes refused below 32 MiB free, reopen tried at most every 5 s).
         */
        public Builder store(io.argus.coordinator.store.StoreSettings v) {
            this.store = v;
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
