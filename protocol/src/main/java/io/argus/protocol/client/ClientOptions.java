package io.argus.protocol.client;

import io.argus.protocol.ProtocolConstants;
import io.argus.protocol.util.SettingRange;
import io.argus.protocol.v1.Role;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import org.jspecify.annotations.Nullable;

import java.util.Objects;

/**
 * Immutable settings of an {@link AgentConnection}. Build with {@link #builder(EventLoopGroup)};
 * every default is a {@code DEFAULT_*} constant documented on its builder method with its range,
 * and a value outside its range is an error naming the setting.
 */
public final class ClientOptions {
    /** Name sent in Hello when none is given. */
    public static final String DEFAULT_CLIENT_ID = "argus-client";
    /** 3000 ms: a host that does not answer is given up soon, so the caller can try another agent. */
    public static final int DEFAULT_CONNECT_TIMEOUT_MS = 3_000;
    /** 5000 ms from connect to Welcome, as long as the agent gives a connection to send its Hello. */
    public static final int DEFAULT_HANDSHAKE_TIMEOUT_MS = 5_000;
    /** 250 ms: an idle link carries a Ping this often, so the timeout below notices a dead agent within 1.5 s. */
    public static final int DEFAULT_HEARTBEAT_INTERVAL_MS = 250;
    /** 1500 ms: six missed heartbeats, long before a ZooKeeper session would expire. */
    public static final int DEFAULT_HEARTBEAT_TIMEOUT_MS = 1_500;
    private final EventLoopGroup group;
    private final String clientId;
    private final String authToken;
    private final Role role;
    private final int connectTimeoutMs;
    private final int handshakeTimeoutMs;
    private final int heartbeatIntervalMs;
    private final int heartbeatTimeoutMs;
    private final int maxFrameBytes;
    private final @Nullable SslContext sslContext;

    private ClientOptions(Builder b) {
        this.group = Objects.requireNonNull(b.group, "group");
        this.clientId = b.clientId;
        this.authToken = b.authToken;
        this.role = b.role;
        this.connectTimeoutMs = b.connectTimeoutMs;
        this.handshakeTimeoutMs = b.handshakeTimeoutMs;
        this.heartbeatIntervalMs = b.heartbeatIntervalMs;
        this.heartbeatTimeoutMs = b.heartbeatTimeoutMs;
        this.maxFrameBytes = b.maxFrameBytes;
        this.sslContext = b.sslContext;
        SettingRange.check("connectTimeoutMs", connectTimeoutMs, 1, 600_000);
        SettingRange.check("handshakeTimeoutMs", handshakeTimeoutMs, 1, 600_000);
        SettingRange.check("heartbeatIntervalMs", heartbeatIntervalMs, 1, 600_000);
        // a timeout at or below the interval would declare every idle link dead
        SettingRange.check("heartbeatTimeoutMs", heartbeatTimeoutMs, heartbeatIntervalMs + 1, 3_600_000);
        SettingRange.check("maxFrameBytes", maxFrameBytes, 1_024, Integer.MAX_VALUE);
    }

    public static Builder builder(EventLoopGroup group) {
        return new Builder(group);
    }

    public EventLoopGroup group() {
        return group;
    }

    public String clientId() {
        return clientId;
    }

    public String authToken() {
        return authToken;
    }

    public Role role() {
        return role;
    }

    public int connectTimeoutMs() {
        return connectTimeoutMs;
    }

    public int handshakeTimeoutMs() {
        return handshakeTimeoutMs;
    }

    public int heartbeatIntervalMs() {
        return heartbeatIntervalMs;
    }

    public int heartbeatTimeoutMs() {
        return heartbeatTimeoutMs;
    }

    public int maxFrameBytes() {
        return maxFrameBytes;
    }

    public @Nullable SslContext sslContext() {
        return sslContext;
    }

    public Builder toBuilder() {
        Builder b = new Builder(group);
        b.clientId = clientId;
        b.authToken = authToken;
        b.role = role;
        b.connectTimeoutMs = connectTimeoutMs;
        b.handshakeTimeoutMs = handshakeTimeoutMs;
        b.heartbeatIntervalMs = heartbeatIntervalMs;
        b.heartbeatTimeoutMs = heartbeatTimeoutMs;
        b.maxFrameBytes = maxFrameBytes;
        b.sslContext = sslContext;
        return b;
    }

    public static final class Builder {
        private final EventLoopGroup group;
        private String clientId = DEFAULT_CLIENT_ID;
        private String authToken = "";
        private Role role = Role.ROLE_CLIENT;
        private int connectTimeoutMs = DEFAULT_CONNECT_TIMEOUT_MS;
        private int handshakeTimeoutMs = DEFAULT_HANDSHAKE_TIMEOUT_MS;
        private int heartbeatIntervalMs = DEFAULT_HEARTBEAT_INTERVAL_MS;
        private int heartbeatTimeoutMs = DEFAULT_HEARTBEAT_TIMEOUT_MS;
        private int maxFrameBytes = ProtocolConstants.DEFAULT_MAX_FRAME_BYTES;
        private @Nullable SslContext sslContext;

        private Builder(EventLoopGroup group) {
            this.group = group;
        }

        /** Name sent in Hello, for the agent's logs and metrics. Default {@link #DEFAULT_CLIENT_ID} ({@code argus-client}). */
        public Builder clientId(String v) {
            this.clientId = v;
            return this;
        }

        /** Token sent in Hello. Default empty (accepted only by agents without tokens). */
        public Builder authToken(String v) {
            this.authToken = v == null ? "" : v;
            return this;
        }

        /** Default {@link Role#ROLE_CLIENT}. */
        public Builder role(Role v) {
            this.role = v;
            return this;
        }

        /** TCP connect timeout. Default {@link #DEFAULT_CONNECT_TIMEOUT_MS} (3000 ms); 1 ms to 10 min; on expiry the connect future fails. */
        public Builder connectTimeoutMs(int v) {
            this.connectTimeoutMs = v;
            return this;
        }

        /** Time from connect to Welcome. Default {@link #DEFAULT_HANDSHAKE_TIMEOUT_MS} (5000 ms); 1 ms to 10 min; on expiry the connection is closed. */
        public Builder handshakeTimeoutMs(int v) {
            this.handshakeTimeoutMs = v;
            return this;
        }

        /** A Ping is sent after this long without writing. Default {@link #DEFAULT_HEARTBEAT_INTERVAL_MS} (250 ms); 1 ms to 10 min. */
        public Builder heartbeatIntervalMs(int v) {
            this.heartbeatIntervalMs = v;
            return this;
        }

        /**
         * The connection is declared dead, closed, and its unanswered frames failed with
         * {@link ConnectionLostException} after this long without reading anything. Default
         * {@link #DEFAULT_HEARTBEAT_TIMEOUT_MS} (1500 ms): six missed heartbeats, long before a
         * ZooKeeper session would expire. Above the heartbeat interval, up to 1 hour.
         */
        public Builder heartbeatTimeoutMs(int v) {
            this.heartbeatTimeoutMs = v;
            return this;
        }

        /** Largest inbound Envelope. Default {@link ProtocolConstants#DEFAULT_MAX_FRAME_BYTES} (16 MiB); at least 1 KiB. */
        public Builder maxFrameBytes(int v) {
            this.maxFrameBytes = v;
            return this;
        }

        /** TLS client context; null (default) means plaintext. */
        public Builder sslContext(@Nullable SslContext v) {
            this.sslContext = v;
            return this;
        }

        public ClientOptions build() {
            return new ClientOptions(this);
        }
    }
}
