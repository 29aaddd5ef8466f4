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
        this.ratePerSecond = b.ratePerSecond;
        this.tokens = List.copyOf(b.tokens);
        this.agentToken = b.agentToken;
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
        private double ratePerSecond = 50;
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

        /** Image requests per second per client (X-Client-Id or address). Default 50; more get 429. */
        public Builder ratePerSecond(double v) {
            this.ratePerSecond = v;
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
