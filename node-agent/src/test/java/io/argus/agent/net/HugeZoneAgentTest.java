package io.argus.agent.net;

import com.google.protobuf.ByteString;
import io.argus.agent.AgentConfig;
import io.argus.agent.NodeAgent;
import io.argus.protocol.client.AgentConnection;
import io.argus.protocol.client.AgentErrorException;
import io.argus.protocol.client.ClientOptions;
import io.argus.protocol.client.ConnectionListener;
import io.argus.protocol.v1.Code;
import io.argus.protocol.v1.Encoding;
import io.argus.protocol.v1.FrameRequest;
import io.argus.protocol.v1.FrameResult;
import io.argus.protocol.v1.Image;
import io.argus.protocol.v1.TaskRequest;
import io.argus.testing.LeakCheck;
import io.argus.testing.TestAssets;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hardening issue's attack on a real agent: a frame whose people task has a 100,000-point
 * zone. Its quadratic check took 200 s and froze both event loops, stalling every other
 * connection. Now it is refused from the length of the text, on a worker, and a frame of another
 * connection is answered meanwhile.
 */
class HugeZoneAgentTest {
    static NodeAgent agent;
    static EventLoopGroup group;
    static byte[] jpeg;

    @BeforeAll
    static void start() throws Exception {
        LeakCheck.reset();
        agent = NodeAgent.start(AgentConfig.builder().agentId("huge-zone-test").bindHost("127.0.0.1")
                .advertiseHost("127.0.0.1").workers(2).build());
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        jpeg = Files.readAllBytes(TestAssets.file("images/faces/messi5.jpg"));
    }

    @AfterAll
    static void stop() {
        agent.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        LeakCheck.assertNoLeaks();
    }

    static AgentConnection connect(String id) throws Exception {
        return AgentConnection.connect(new InetSocketAddress("127.0.0.1", agent.port()),
                ClientOptions.builder(group).clientId(id).build(), ConnectionListener.NONE).get(5, TimeUnit.SECONDS);
    }

    static FrameRequest frame(String stream, String task, String zones) {
        TaskRequest.Builder t = TaskRequest.newBuilder().setName(task);
        if (zones != null) {
            t.putParams("zones", zones);
        }
        return FrameRequest.newBuilder().setStreamId(stream).setSequence(0).setSourceIndex(0)
                .setImage(Image.newBuilder().setEncoding(Encoding.JPEG).setData(ByteString.copyFrom(jpeg)))
                .addTasks(t).build();
    }

    /** A simple polygon of n points on a circle: valid in every way but its size. */
    static String zone(int n) {
        StringBuilder b = new StringBuilder("big:");
        for (int i = 0; i < n; i++) {
            double a = 2 * Math.PI * i / n;
            b.append(i == 0 ? "" : ",").append(Math.round(5000 + 4000 * Math.cos(a))).append(',')
                    .append(Math.round(5000 + 4000 * Math.sin(a)));
        }
        return b.toString();
    }

    static Throwable failure(CompletableFuture<FrameResult> f) throws Exception {
        try {
            f.get(60, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }

    @Test
    void aHugeZoneIsRefusedWhileAnotherConnectionIsAnswered() throws Exception {
        try (AgentConnection attacker = connect("attacker"); AgentConnection bystander = connect("bystander")) {
            String huge = zone(100_000);
            long t0 = System.nanoTime();
            CompletableFuture<FrameResult> a1 = attacker.send(frame("huge1", "people", huge));
            CompletableFuture<FrameResult> a2 = attacker.send(frame("huge2", "people", huge));
            long b0 = System.nanoTime();
            FrameResult other = bystander.send(frame("other", "noop", null)).get(30, TimeUnit.SECONDS);
            long bystanderMs = (System.nanoTime() - b0) / 1_000_000;
            assertThat(other.getTasks(0).getStatus()).isEqualTo(Code.OK);
            for (CompletableFuture<FrameResult> a : List.of(a1, a2)) {
                Throwable t = failure(a);
                assertThat(t).isInstanceOf(AgentErrorException.class);
                assertThat(((AgentErrorException) t).code()).isEqualTo(Code.BAD_REQUEST);
                assertThat(t.getMessage()).contains("maxSpecChars");
            }
            long refusedMs = (System.nanoTime() - t0) / 1_000_000;
            System.out.printf("HUGE-ZONE agent: two 100,000-point zones (%d chars) refused in %d ms; bystander frame in %d ms%n",
                    huge.length(), refusedMs, bystanderMs);
            // the old behaviour: 200 s, both event loops frozen; generous bounds for a loaded CI machine
            assertThat(bystanderMs).isLessThan(30_000);
            assertThat(refusedMs).isLessThan(30_000);
            // the connection that sent the huge zones is still served
            assertThat(attacker.send(frame("after", "noop", null)).get(30, TimeUnit.SECONDS).getTasks(0).getStatus())
                    .isEqualTo(Code.OK);
        }
    }

    @Test
    void aZoneOverThePointBoundIsRefusedNamingIt() throws Exception {
        try (AgentConnection c = connect("points")) {
            Throwable t = failure(c.send(frame("many", "people", zone(257))));
            assertThat(t).isInstanceOf(AgentErrorException.class);
            assertThat(((AgentErrorException) t).code()).isEqualTo(Code.BAD_REQUEST);
            assertThat(t.getMessage()).contains("257 points").contains("maxZonePoints");
        }
    }
}
