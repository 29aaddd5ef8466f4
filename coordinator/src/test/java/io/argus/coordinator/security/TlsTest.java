package io.argus.coordinator.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import io.argus.agent.AgentConfig;
import io.argus.agent.NodeAgent;
import io.argus.coordinator.Coordinator;
import io.argus.coordinator.CoordinatorConfig;
import io.argus.protocol.ResultMerger;
import io.argus.protocol.client.AgentConnection;
import io.argus.protocol.client.ClientOptions;
import io.argus.protocol.client.ConnectionListener;
import io.argus.cluster.tls.CertificateAuthority;
import io.argus.protocol.tls.TlsSettings;
import io.argus.protocol.v1.Code;
import io.argus.protocol.v1.Encoding;
import io.argus.protocol.v1.FrameRequest;
import io.argus.protocol.v1.Image;
import io.argus.protocol.v1.TaskRequest;
import io.argus.testing.LeakCheck;
import io.argus.testing.TestAssets;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * TLS 1.3 with mutual authentication on the agent port and the gateway, with certificates made by
 * {@link CertificateAuthority} (what {@code bin/argus certs} runs): who gets in and who does not.
 */
class TlsTest {
    @TempDir
    static Path dir;
    static TestingServer zk;
    static NodeAgent agent;
    static Coordinator coordinator;
    static EventLoopGroup group;
    static byte[] jpeg;

    @BeforeAll
    static void start() throws Exception {
        LeakCheck.reset();
        CertificateAuthority.createCluster(dir.resolve("pki"), List.of("coordinator", "agent-1", "client"), List.of(),
                Duration.ofDays(1));
        // a second CA that nobody in the cluster trusts
        CertificateAuthority.createCluster(dir.resolve("rogue"), List.of("client"), List.of(), Duration.ofDays(1));
        zk = new TestingServer(true);
        agent = NodeAgent.start(AgentConfig.builder().agentId("agent-1").zkConnect(zk.getConnectString())
                .bindHost("127.0.0.1").advertiseHost("127.0.0.1").workers(1)
                .tls(TlsSettings.fromDirectory(dir.resolve("pki"), "agent-1", true)).build());
        coordinator = Coordinator.start(CoordinatorConfig.builder().id("tls-c1").zkConnect(zk.getConnectString())
                .bindHost("127.0.0.1").httpPort(0).dataDir(dir.resolve("c1"))
                .tls(TlsSettings.fromDirectory(dir.resolve("pki"), "coordinator", true)).build());
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        jpeg = Files.readAllBytes(TestAssets.file("images/faces/messi5.jpg"));
    }

    @AfterAll
    static void stop() throws Exception {
        coordinator.close();
        agent.close();
        zk.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        LeakCheck.assertNoLeaks();
    }

    static TlsSettings client(String pki) {
        return TlsSettings.fromDirectory(dir.resolve(pki), "client", false);
    }

    static AgentConnection connect(SslContext ssl) throws Exception {
        return AgentConnection.connect(new InetSocketAddress("127.0.0.1", agent.port()),
                ClientOptions.builder(group).clientId("tls-test").handshakeTimeoutMs(3_000).sslContext(ssl).build(),
                ConnectionListener.NONE).get(10, TimeUnit.SECONDS);
    }

    static FrameRequest frame() {
        return FrameRequest.newBuilder().setStreamId("tls-cam").setSequence(1)
                .setImage(Image.newBuilder().setEncoding(Encoding.JPEG).setData(ByteString.copyFrom(jpeg)))
                .addTasks(TaskRequest.newBuilder().setName("color")).build();
    }

    @Test
    void aClientWithACertificateFromTheClusterCaIsServed() throws Exception {
        try (AgentConnection c = connect(client("pki").clientContext())) {
            assertThat(ResultMerger.firstFailure(c.send(frame()).get(10, TimeUnit.SECONDS))).isEqualTo(Code.OK);
        }
    }

    @Test
    void plaintextAnOlderProtocolNoCertificateAndAForeignCaAreAllRefused() throws Exception {
        Path pki = dir.resolve("pki");
        SslContext tls12 = SslContextBuilder.forClient().sslProvider(SslProvider.JDK).protocols("TLSv1.2")
                .trustManager(pki.resolve("ca.pem").toFile())
                .keyManager(pki.resolve("client.pem").toFile(), pki.resolve("client.key").toFile()).build();
        SslContext noCertificate = SslContextBuilder.forClient().sslProvider(SslProvider.JDK).protocols("TLSv1.3")
                .trustManager(pki.resolve("ca.pem").toFile()).build();
        for (SslContext bad : new SslContext[]{null, tls12, noCertificate, client("rogue").clientContext()}) {
            assertThatThrownBy(() -> {
                try (AgentConnection c = connect(bad)) {
                    // a client without a certificate learns of its refusal only after TLS 1.3's handshake
                    c.send(frame()).get(10, TimeUnit.SECONDS);
                }
            }).as("refused: %s", bad == null ? "plaintext" : bad == tls12 ? "TLS 1.2" : bad == noCertificate
                    ? "no client certificate" : "foreign CA").isInstanceOf(Exception.class);
        }
        // and the agent still serves the good ones afterwards
        aClientWithACertificateFromTheClusterCaIsServed();
    }

    @Test
    void theGatewaySpeaksHttpsAndReachesTheAgentWithItsOwnCertificate() throws Exception {
        HttpClient https = TlsSettings.httpClient(client("pki"), Duration.ofSeconds(3));
        String base = "https://127.0.0.1:" + coordinator.httpPort();
        await().atMost(Duration.ofSeconds(10)).until(() -> https.send(HttpRequest.newBuilder(URI.create(base + "/healthz"))
                .build(), HttpResponse.BodyHandlers.ofString()).body().contains("\"agents\":1"));
        HttpResponse<String> r = https.send(HttpRequest.newBuilder(URI.create(base + "/v1/images?tasks=color"))
                .header("Content-Type", "image/jpeg").POST(HttpRequest.BodyPublishers.ofByteArray(jpeg)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(new ObjectMapper().readTree(r.body()).at("/tasks/color/strings").size()).isEqualTo(5);

        HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
        assertThatThrownBy(() -> plain.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + coordinator.httpPort()
                + "/healthz")).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(IOException.class);
        HttpClient rogue = TlsSettings.httpClient(client("rogue"), Duration.ofSeconds(3));
        assertThatThrownBy(() -> rogue.send(HttpRequest.newBuilder(URI.create(base + "/healthz")).build(),
                HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);
    }

    @Test
    void plaintextIsRefusedOffLoopback() {
        assertThatThrownBy(() -> AgentConfig.builder().agentId("open").bindHost("0.0.0.0").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("plaintext is allowed on loopback only");
        assertThatThrownBy(() -> CoordinatorConfig.builder().id("open").zkConnect("x:1").dataDir(dir)
                .bindHost("0.0.0.0").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("plaintext is allowed on loopback only");
        assertThat(AgentConfig.builder().agentId("dev").build().bindHost()).isEqualTo("127.0.0.1");
    }
}
