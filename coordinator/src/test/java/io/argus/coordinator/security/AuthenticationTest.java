package io.argus.coordinator.security;

import com.google.protobuf.ByteString;
import io.argus.agent.AgentConfig;
import io.argus.agent.AgentMain;
import io.argus.agent.NodeAgent;
import io.argus.coordinator.Coordinator;
import io.argus.coordinator.CoordinatorConfig;
import io.argus.coordinator.CoordinatorMain;
import io.argus.protocol.ResultMerger;
import io.argus.protocol.auth.Tokens;
import io.argus.protocol.client.AgentConnection;
import io.argus.protocol.client.AgentErrorException;
import io.argus.protocol.client.ClientOptions;
import io.argus.protocol.client.ConnectionListener;
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
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/**
 * Tokens: an agent started with accepted tokens answers a client without one (or with a wrong
 * one) with {@code UNAUTHENTICATED} and closes the connection; the gateway answers {@code 401}
 * without a valid bearer token, and its own calls to such agents carry the agents' token. The
 * coordinator's event port turns away an agent without the coordinator's token.
 */
class AuthenticationTest {
    @TempDir
    Path dir;

    @Test
    void agentsAndTheGatewayTurnAwayClientsWithoutAValidToken() throws Exception {
        LeakCheck.reset();
        byte[] jpeg = Files.readAllBytes(TestAssets.file("images/faces/messi5.jpg"));
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try (TestingServer zk = new TestingServer(true);
             NodeAgent agent = NodeAgent.start(AgentConfig.builder().agentId("auth-agent").zkConnect(zk.getConnectString())
                     .workers(1).authTokens(List.of("agent-secret")).build());
             Coordinator c = Coordinator.start(CoordinatorConfig.builder().id("auth-c").zkConnect(zk.getConnectString())
                     .httpPort(0).dataDir(dir).tokens(List.of("api-secret")).agentToken("agent-secret").build())) {
            InetSocketAddress at = new InetSocketAddress("127.0.0.1", agent.port());
            for (String wrong : new String[]{"", "agent-secreT", "api-secret"}) {
                try {
                    AgentConnection conn = AgentConnection.connect(at, ClientOptions.builder(group).clientId("intruder")
                            .authToken(wrong).build(), ConnectionListener.NONE).get(10, TimeUnit.SECONDS);
                    conn.closeFuture().get(5, TimeUnit.SECONDS);
                    fail("token '%s' was accepted", wrong);
                } catch (ExecutionException e) {
                    assertThat(e.getCause()).as("token '%s'", wrong).isInstanceOf(AgentErrorException.class);
                    assertThat(((AgentErrorException) e.getCause()).code()).isEqualTo(Code.UNAUTHENTICATED);
                }
            }
            try (AgentConnection ok = AgentConnection.connect(at, ClientOptions.builder(group).clientId("desk")
                    .authToken("agent-secret").build(), ConnectionListener.NONE).get(10, TimeUnit.SECONDS)) {
                FrameRequest f = FrameRequest.newBuilder().setStreamId("auth-cam").setSequence(1)
                        .setImage(Image.newBuilder().setEncoding(Encoding.JPEG).setData(ByteString.copyFrom(jpeg)))
                        .addTasks(TaskRequest.newBuilder().setName("color")).build();
                assertThat(ResultMerger.firstFailure(ok.send(f).get(10, TimeUnit.SECONDS))).isEqualTo(Code.OK);
            }

            // the event port, where agents publish counts: a wrong token is turned away before
            // anything could be stored; the coordinator's token is accepted
            InetSocketAddress events = new InetSocketAddress("127.0.0.1", c.eventPort());
            for (String wrong : new String[]{"", "agent-secret"}) {
                try {
                    AgentConnection conn = AgentConnection.connect(events, ClientOptions.builder(group).clientId("forger")
                            .authToken(wrong).build(), ConnectionListener.NONE).get(10, TimeUnit.SECONDS);
                    conn.closeFuture().get(5, TimeUnit.SECONDS);
                    fail("token '%s' was accepted on the event port", wrong);
                } catch (ExecutionException e) {
                    assertThat(e.getCause()).as("token '%s'", wrong).isInstanceOf(AgentErrorException.class);
                    assertThat(((AgentErrorException) e.getCause()).code()).isEqualTo(Code.UNAUTHENTICATED);
                }
            }
            AgentConnection.connect(events, ClientOptions.builder(group).clientId("auth-agent").authToken("api-secret")
                    .build(), ConnectionListener.NONE).get(10, TimeUnit.SECONDS).close();

            HttpClient http = HttpClient.newHttpClient();
            String url = "http://127.0.0.1:" + c.httpPort() + "/v1/images?tasks=color";
            for (String header : new String[]{null, "Bearer nope", "Basic YXBpLXNlY3JldA=="}) {
                HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "image/jpeg")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(jpeg));
                if (header != null) {
                    b.header("Authorization", header);
                }
                HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as("Authorization: %s", header).isEqualTo(401);
                assertThat(r.body()).contains("\"code\"");
            }
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "image/jpeg")
                    .header("Authorization", "Bearer api-secret").POST(HttpRequest.BodyPublishers.ofByteArray(jpeg)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
        LeakCheck.assertNoLeaks();
    }

    /**
     * Roles on the coordinator: a viewer token reads counts, events and the cluster, but may not
     * change a stream, send images, export a stream's state or publish events; an operator may.
     */
    @Test
    void aViewerTokenReadsButMayNotChangeExportOrPublish() throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try (TestingServer zk = new TestingServer(true);
             Coordinator c = Coordinator.start(CoordinatorConfig.builder().id("roles-c").zkConnect(zk.getConnectString())
                     .httpPort(0).dataDir(dir.resolve("roles")).tokens(List.of("viewer:look", "operator:work", "admin:root"))
                     .build())) {
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + c.httpPort();
            BiFunction<String, HttpRequest.Builder, Integer> status = (token, b) -> {
                try {
                    return http.send(b.header("Authorization", "Bearer " + token).build(),
                            HttpResponse.BodyHandlers.ofString()).statusCode();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            };
            String config = "{\"tasks\":{\"people\":{\"lines\":\"door:10,0,10,100\"}}}";
            for (String read : new String[]{"/v1/streams", "/v1/agents", "/v1/events?limit=5", "/v1/streams/cam/totals"}) {
                assertThat(status.apply("look", HttpRequest.newBuilder(URI.create(base + read)))).as(read).isEqualTo(200);
            }
            assertThat(status.apply("look", HttpRequest.newBuilder(URI.create(base + "/v1/streams/cam/config"))
                    .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(config)))).isEqualTo(403);
            assertThat(status.apply("look", HttpRequest.newBuilder(URI.create(base + "/v1/streams/cam/state")))).isEqualTo(403);
            assertThat(status.apply("look", HttpRequest.newBuilder(URI.create(base + "/v1/images?tasks=color"))
                    .header("Content-Type", "image/jpeg").POST(HttpRequest.BodyPublishers.ofByteArray(new byte[]{1}))))
                    .isEqualTo(403);
            assertThat(status.apply("look", HttpRequest.newBuilder(URI.create(base + "/v1/streams/cam")).DELETE()))
                    .isEqualTo(403);
            assertThat(status.apply("work", HttpRequest.newBuilder(URI.create(base + "/v1/streams/cam/config"))
                    .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(config)))).isEqualTo(200);
            assertThat(status.apply("admin:root", HttpRequest.newBuilder(URI.create(base + "/v1/streams")))).as(
                    "the role prefix is not part of the secret").isEqualTo(401);

            InetSocketAddress events = new InetSocketAddress("127.0.0.1", c.eventPort());
            try {
                AgentConnection conn = AgentConnection.connect(events, ClientOptions.builder(group).clientId("viewer-forger")
                        .authToken("look").build(), ConnectionListener.NONE).get(10, TimeUnit.SECONDS);
                conn.closeFuture().get(5, TimeUnit.SECONDS);
                fail("a viewer token was accepted on the event port");
            } catch (ExecutionException e) {
                assertThat(((AgentErrorException) e.getCause()).code()).isEqualTo(Code.PERMISSION_DENIED);
            }
            AgentConnection.connect(events, ClientOptions.builder(group).clientId("roles-agent").authToken("root")
                    .build(), ConnectionListener.NONE).get(10, TimeUnit.SECONDS).close();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /**
     * A token file with only blank lines (or none at all) must not turn authentication off: an
     * empty token list accepts every client, and that is what such a file used to give.
     */
    @Test
    void aTokenFileWithoutATokenIsAnError() throws Exception {
        Path blank = Files.writeString(dir.resolve("blank-tokens"), "\n   \n\t\n");
        Path empty = Files.writeString(dir.resolve("empty-tokens"), "");
        for (Path f : List.of(blank, empty, dir.resolve("missing-tokens"))) {
            assertThatThrownBy(() -> Tokens.readFile(f)).as("%s", f)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(f.toString());
            assertThatThrownBy(() -> Tokens.readFirst(f)).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> Tokens.readFile(blank)).hasMessageContaining("holds no token");
        Path good = Files.writeString(dir.resolve("tokens"), "\n  first \n\nsecond\n");
        assertThat(Tokens.readFile(good)).containsExactly("first", "second");

        // the coordinator refuses to start with it (before reaching ZooKeeper, which is not there)
        StringWriter err = new StringWriter();
        int exit = new CommandLine(new CoordinatorMain())
                .setErr(new PrintWriter(err))
                .execute("--zk", "127.0.0.1:1", "--data-dir", dir.resolve("data").toString(), "--http-port", "0",
                        "--token-file", blank.toString());
        assertThat(exit).isNotZero();
        assertThat(err.toString()).contains("holds no token");
        // and so does an agent
        StringWriter agentErr = new StringWriter();
        int agentExit = new CommandLine(new AgentMain()).setErr(new PrintWriter(agentErr))
                .execute("--zk", "127.0.0.1:1", "--auth-token-file", blank.toString());
        assertThat(agentExit).isNotZero();
        assertThat(agentErr.toString()).contains("holds no token");
    }
}
