package io.argus.protocol.client;

import io.argus.protocol.ProtocolConstants;
import io.argus.protocol.v1.Role;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import org.jspecify.annotations.Nullable;

import java.util.Objects;

/**
 * Immutable settings of an {@link AgentConnection}. Build with {@link #builder(EventLoopGroup)};
 * every default is documented on its builder method.
 */
public final class ClientOptions {
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
        if (heartbeatTimeoutMs <= heartbeatIntervalMs) {
            throw new IllegalArgumentException("heartbeat timeout must exceed the interval");
        }
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
        private String clientId = "argus-client";
        private String authToken = "";
        private Role role = Role.ROLE_CLIENT;
        private int connectTimeoutMs = 3_000;
        private int handshakeTimeoutMs = 5_000;
        private int heartbeatIntervalMs = 250;
        private int heartbeatTimeoutMs = 1_500;
        private int maxFrameBytes = ProtocolConstants.DEFAULT_MAX_FRAME_BYTES;
        private @Nullable SslContext sslContext;

        private Builder(EventLoopGroup group) {
            this.group = group;
        }

        /** Name sent in Hello, for the agent's logs and metrics. Default {@code argus-client}. */
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

        /** TCP connect timeout. Default 3000 ms; on expiry the connect future fails. */
        public Builder connectTimeoutMs(int v) {
            this.connectTimeoutMs = v;
            return this;
        }

        /** Time from connect to Welcome. Default 5000 ms; on expiry the connection is closed. */
        public Builder handshakeTimeoutMs(int v) {
            this.handshakeTimeoutMs = v;
            return this;
        }

        /** A Ping is sent after this long without writing. Default 250 ms. */
        public Builder heartbeatIntervalMs(int v) {
            this.heartbeatIntervalMs = v;
            return this;
        }

        /**
         * The connection is declared dead, closed, and its unanswered frames failed with
         * {@link ConnectionLostException} after this long without reading anything. Default
         * 1500 ms: six missed heartbeats, long before a ZooKeeper session would expire.
         */
        public Builder heartbeatTimeoutMs(int v) {
            this.heartbeatTimeoutMs = v;
            return this;
        }

        /** Largest inbound Envelope. Default 16 MiB. */
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
