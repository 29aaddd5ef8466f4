package io.argus.protocol.client;

import io.argus.protocol.net.Transport;
import io.netty.channel.EventLoopGroup;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A client connection's settings: the documented defaults, and values out of range refused naming the setting. */
class ClientOptionsTest {
    static final EventLoopGroup GROUP = Transport.group(1);

    @AfterAll
    static void close() {
        GROUP.shutdownGracefully(0, 0, TimeUnit.SECONDS);
    }

    static void refused(UnaryOperator<ClientOptions.Builder> change, String setting) {
        assertThatThrownBy(() -> change.apply(ClientOptions.builder(GROUP)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(setting).hasMessageContaining("out of range");
    }

    @Test
    void defaultsAreTheDocumentedValues() {
        ClientOptions o = ClientOptions.builder(GROUP).build();
        assertThat(o.clientId()).isEqualTo("argus-client");
        assertThat(o.connectTimeoutMs()).isEqualTo(3_000);
        assertThat(o.handshakeTimeoutMs()).isEqualTo(5_000);
        assertThat(o.heartbeatIntervalMs()).isEqualTo(250);
        assertThat(o.heartbeatTimeoutMs()).isEqualTo(1_500);
        assertThat(o.maxFrameBytes()).isEqualTo(16 << 20);
    }

    @Test
    void outOfRangeIsRefusedNamingTheSetting() {
        refused(b -> b.connectTimeoutMs(0), "connectTimeoutMs");
        refused(b -> b.handshakeTimeoutMs(0), "handshakeTimeoutMs");
        refused(b -> b.heartbeatIntervalMs(0), "heartbeatIntervalMs");
        refused(b -> b.heartbeatIntervalMs(1_000).heartbeatTimeoutMs(1_000), "heartbeatTimeoutMs");
        refused(b -> b.maxFrameBytes(100), "maxFrameBytes");
    }
}
