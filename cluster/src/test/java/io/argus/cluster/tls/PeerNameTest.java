package io.argus.cluster.tls;

import io.argus.cluster.AgentInfo;
import io.argus.cluster.AgentPayload;
import io.argus.protocol.client.AgentConnection;
import io.argus.protocol.client.ClientOptions;
import io.argus.protocol.client.ConnectionListener;
import io.argus.protocol.client.PeerNames;
import io.argus.protocol.tls.TlsSettings;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLPeerUnverifiedException;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * With TLS a client checks that the agent's certificate names the agent it looked up: every certificate
 * of a cluster is valid for loopback (and usually for the same host list), so a node holding any
 * cluster certificate could otherwise answer for any agent. A real TLS listener plays the impostor and
 * records what it receives after the handshake: never the Hello with the token.
 */
class PeerNameTest {
    private static final String TOKEN = "agent-token-peer-name-check-91c2";
    @TempDir
    Path dir;
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());

    @AfterEach
    void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** A TLS server with a cluster certificate that keeps every decrypted byte. */
    private Channel impostor(TlsSettings tls, ByteArrayOutputStream received) throws Exception {
        var ssl = tls.serverContext();
        return new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(ssl.newHandler(ch.alloc()), new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                ByteBuf b = (ByteBuf) msg;
                                try {
                                    synchronized (received) {
                                        byte[] bytes = new byte[b.readableBytes()];
                                        b.readBytes(bytes);
                                        received.write(bytes, 0, bytes.length);
                                    }
                                } finally {
                                    b.release();
                                }
                            }
                        });
                    }
                }).bind("127.0.0.1", 0).sync().channel();
    }

    private static AgentInfo registered(String id, int port) {
        return new AgentInfo(id, new AgentPayload("127.0.0.1", port, -1, 1, List.of("color"), 1, 10, null, 0, 0,
                false, "test"));
    }

    private static String text(ByteArrayOutputStream received) {
        synchronized (received) {
            return received.toString(StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void anAgentWhoseValidCertificateNamesAnotherNodeGetsNoHello() throws Exception {
        CertificateAuthority.createCluster(dir.resolve("pki"), List.of("proc1", "proc2", "desk1"), List.of(),
                Duration.ofDays(1));
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        // proc2's genuine certificate, answering at the address proc1 registered
        Channel server = impostor(TlsSettings.fromDirectory(dir.resolve("pki"), "proc2", false), received);
        int port = ((InetSocketAddress) server.localAddress()).getPort();
        ClientOptions options = ClientOptions.builder(group).clientId("desk1").authToken(TOKEN).handshakeTimeoutMs(3_000)
                .sslContext(TlsSettings.fromDirectory(dir.resolve("pki"), "desk1", false).clientContext()).build();
        try {
            CompletableFuture<AgentConnection> asProc1 = registered("proc1", port).connect(options,
                    ConnectionListener.NONE);
            assertThatThrownBy(() -> asProc1.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(SSLPeerUnverifiedException.class).hasMessageContaining("proc1");
            assertThat(text(received)).doesNotContain(TOKEN);
            assertThat(received.size()).isZero();

            // the same listener registered under its own name: the handshake passes and the Hello (token) arrives,
            // so the refusal above came from the name check alone
            CompletableFuture<AgentConnection> asProc2 = registered("proc2", port).connect(options,
                    ConnectionListener.NONE);
            await().atMost(Duration.ofSeconds(10)).until(() -> text(received).contains(TOKEN));
            asProc2.whenComplete((c, e) -> {
                if (c != null) {
                    c.close();
                }
            });
        } finally {
            server.close().sync();
        }
    }

    @Test
    void aCertificateNamesANodeByItsCommonNameOrADnsName() throws Exception {
        CertificateAuthority.createCluster(dir.resolve("pki"), List.of("proc1"), List.of("proc1.example"),
                Duration.ofDays(1));
        X509Certificate cert;
        try (var in = Files.newInputStream(dir.resolve("pki/proc1.pem"))) {
            cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(in);
        }
        assertThat(PeerNames.names(cert, "proc1")).isTrue();
        assertThat(PeerNames.names(cert, "PROC1.example")).isTrue();
        assertThat(PeerNames.names(cert, "proc2")).isFalse();
        assertThat(PeerNames.names(cert, "127.0.0.1")).as("an IP address is no node name").isFalse();
    }
}
