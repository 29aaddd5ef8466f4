package io.argus.agent.net;

import com.google.protobuf.ByteString;
import io.argus.agent.AgentConfig;
import io.argus.agent.NodeAgent;
import io.argus.protocol.ProtocolConstants;
import io.argus.protocol.client.AgentConnection;
import io.argus.protocol.client.AgentErrorException;
import io.argus.protocol.client.ClientOptions;
import io.argus.protocol.client.ConnectionListener;
import io.argus.protocol.v1.Code;
import io.argus.protocol.v1.Encoding;
import io.argus.protocol.v1.Envelope;
import io.argus.protocol.v1.FrameRequest;
import io.argus.protocol.v1.FrameResult;
import io.argus.protocol.v1.Hello;
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

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The agent's conversation over real loopback sockets: handshake, frames, every kind of bad input. */
class AgentProtocolTest {
    static NodeAgent agent;
    static EventLoopGroup group;
    static byte[] jpeg;

    @BeforeAll
    static void start() throws Exception {
        LeakCheck.reset();
        agent = NodeAgent.start(AgentConfig.builder().agentId("proto-test").bindHost("127.0.0.1")
                .advertiseHost("127.0.0.1").workers(2).creditsPerConnection(4).maxFrameBytes(2 * 1024 * 1024)
                .handshakeTimeoutMs(1_000).build());
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        jpeg = Files.readAllBytes(TestAssets.file("images/faces/messi5.jpg"));
    }

    @AfterAll
    static void stop() {
        agent.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        LeakCheck.assertNoLeaks();
    }

    static AgentConnection connect() throws Exception {
        return AgentConnection.connect(new InetSocketAddress("127.0.0.1", agent.port()),
                ClientOptions.builder(group).clientId("test").build(), ConnectionListener.NONE).get(5, TimeUnit.SECONDS);
    }

    static FrameRequest frame(String stream, long seq, byte[] data, String... tasks) {
        FrameRequest.Builder b = FrameRequest.newBuilder().setStreamId(stream).setSequence(seq)
                .setSourceIndex(seq).setCaptureTimeUs(1000 + seq)
                .setImage(Image.newBuilder().setEncoding(Encoding.JPEG).setData(ByteString.copyFrom(data)));
        for (String t : tasks) {
            b.addTasks(TaskRequest.newBuilder().setName(t));
        }
        return b.build();
    }

    static Code errorCode(CompletableFuture<FrameResult> f) throws Exception {
        try {
            f.get(10, TimeUnit.SECONDS);
            return Code.OK;
        } catch (ExecutionException e) {
            return ((AgentErrorException) e.getCause()).code();
        }
    }

    @Test
    void welcomeAnnouncesCapabilitiesAndLimits() throws Exception {
        try (AgentConnection c = connect()) {
            assertThat(c.agentId()).isEqualTo("proto-test");
            assertThat(c.welcome().getCapabilitiesList()).contains("noop", "color", "faces");
            assertThat(c.welcome().getLimits().getMaxFrameBytes()).isEqualTo(2 * 1024 * 1024);
            assertThat(c.welcome().getInitialCredits()).isEqualTo(4);
            assertThat(c.credits()).isEqualTo(4);
        }
    }

    @Test
    void resultsComeBackInOrderPerStreamWithTimings() throws Exception {
        try (AgentConnection c = connect()) {
            List<CompletableFuture<FrameResult>> futures = new ArrayList<>();
            List<FrameResult> completionOrder = new CopyOnWriteArrayList<>();
            for (int i = 0; i < 40; i++) {
                while (c.credits() == 0) {
                    Thread.sleep(1);
                }
                CompletableFuture<FrameResult> f = c.send(frame(i % 2 == 0 ? "even" : "odd", i, jpeg, "faces", "color"));
                f.thenAccept(completionOrder::add);
                futures.add(f);
            }
            for (int i = 0; i < futures.size(); i++) {
                FrameResult r = futures.get(i).get(10, TimeUnit.SECONDS);
                assertThat(r.getSequence()).isEqualTo(i);
                assertThat(r.getAgentId()).isEqualTo("proto-test");
                assertThat(r.getWidth()).isEqualTo(548);
                assertThat(r.getHeight()).isEqualTo(342);
                assertThat(r.getTasksList()).extracting(t -> t.getTask()).containsExactly("faces", "color");
                assertThat(r.getTimingsList()).extracting(t -> t.getStage())
                        .contains("queue", "decode", "task.faces", "task.color", "agent");
            }
            for (String stream : List.of("even", "odd")) {
                List<Long> seqs = completionOrder.stream().filter(r -> r.getStreamId().equals(stream))
                        .map(FrameResult::getSequence).toList();
                assertThat(seqs).isSorted().hasSize(20);
            }
            assertThat(c.credits()).isEqualTo(4);
        }
    }

    @Test
    void badFramesGetTypedErrorsAndTheConnectionKeepsServing() throws Exception {
        try (AgentConnection c = connect()) {
            assertThat(errorCode(c.send(frame("s", 1, jpeg, "levitate")))).isEqualTo(Code.UNSUPPORTED_TASK);
            byte[] corrupt = jpeg.clone();
            Arrays.fill(corrupt, 2, corrupt.length, (byte) 0x11);
            assertThat(errorCode(c.send(frame("s", 2, corrupt, "noop")))).isEqualTo(Code.IMAGE_DECODE_FAILED);
            assertThat(errorCode(c.send(frame("s", 3, "not an image".getBytes(StandardCharsets.UTF_8), "noop")))).isEqualTo(Code.IMAGE_DECODE_FAILED);
            assertThat(errorCode(c.send(frame("bad/stream", 4, jpeg, "noop")))).isEqualTo(Code.BAD_REQUEST);
            assertThat(errorCode(c.send(frame("s", 5, jpeg)))).isEqualTo(Code.BAD_REQUEST);
            assertThat(errorCode(c.send(frame("s", 6, jpeg, "color", "color")))).isEqualTo(Code.BAD_REQUEST);
            FrameRequest badParam = frame("s", 7, jpeg, "noop").toBuilder()
                    .setTasks(0, TaskRequest.newBuilder().setName("color").putParams("k", "-3")).build();
            assertThatThrownBy(() -> c.send(badParam).get(5, TimeUnit.SECONDS))
                    .hasRootCauseInstanceOf(AgentErrorException.class).hasMessageContaining("'k'");
            FrameRequest huge = frame("s", 8, jpeg, "noop").toBuilder()
                    .setImage(Image.newBuilder().setEncoding(Encoding.RAW_BGR).setWidth(60000).setHeight(60000)
                            .setData(ByteString.copyFrom(new byte[12]))).build();
            assertThat(errorCode(c.send(huge))).isEqualTo(Code.TOO_LARGE);
            // and still serving
            assertThat(c.send(frame("s", 9, jpeg, "noop")).get(5, TimeUnit.SECONDS).getTasks(0).getStatus())
                    .isEqualTo(Code.OK);
            assertThat(c.credits()).isEqualTo(4);
        }
    }

    @Test
    void anyProtobufClientCanTalkAndMalformedOrOversizedMessagesDoNotKillTheConnection() throws Exception {
        try (Socket s = new Socket("127.0.0.1", agent.port())) {
            s.setSoTimeout(5_000);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            Envelope.newBuilder().setHello(Hello.newBuilder().setProtocolVersion(ProtocolConstants.VERSION)
                    .setClientId("raw")).build().writeDelimitedTo(out);
            Envelope welcome = Envelope.parseDelimitedFrom(in);
            assertThat(welcome.hasWelcome()).isTrue();
            // malformed protobuf inside a valid frame
            out.write(new byte[]{4, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff});
            Envelope e1 = Envelope.parseDelimitedFrom(in);
            assertThat(e1.getError().getCode()).isEqualTo(Code.BAD_REQUEST);
            assertThat(e1.getError().getFatal()).isFalse();
            // a frame declaring 3 MiB (over the 2 MiB limit), actually sent: discarded unread
            byte[] big = new byte[3 * 1024 * 1024];
            writeVarint(out, big.length);
            out.write(big);
            Envelope e2 = Envelope.parseDelimitedFrom(in);
            assertThat(e2.getError().getCode()).isEqualTo(Code.TOO_LARGE);
            // the connection still works
            Envelope.newBuilder().setFrameRequest(frame("raw", 1, jpeg, "noop")).build().writeDelimitedTo(out);
            Envelope r = Envelope.parseDelimitedFrom(in);
            assertThat(r.getFrameResult().getTasks(0).getStatus()).isEqualTo(Code.OK);
        }
    }

    @Test
    void wrongVersionIsRefusedAndClosed() throws Exception {
        try (Socket s = new Socket("127.0.0.1", agent.port())) {
            s.setSoTimeout(5_000);
            Envelope.newBuilder().setHello(Hello.newBuilder().setProtocolVersion(99)).build()
                    .writeDelimitedTo(s.getOutputStream());
            Envelope e = Envelope.parseDelimitedFrom(s.getInputStream());
            assertThat(e.getError().getCode()).isEqualTo(Code.VERSION_MISMATCH);
            assertThat(e.getError().getFatal()).isTrue();
            assertThat(s.getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void framesBeforeHelloAreRefusedAndClosed() throws Exception {
        try (Socket s = new Socket("127.0.0.1", agent.port())) {
            s.setSoTimeout(5_000);
            Envelope.newBuilder().setFrameRequest(frame("x", 1, jpeg, "noop")).build().writeDelimitedTo(s.getOutputStream());
            Envelope e = Envelope.parseDelimitedFrom(s.getInputStream());
            assertThat(e.getError().getCode()).isEqualTo(Code.BAD_REQUEST);
            assertThat(s.getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void silentClientIsCutAfterTheHandshakeTimeout() throws Exception {
        try (Socket s = new Socket("127.0.0.1", agent.port())) {
            s.setSoTimeout(5_000);
            long t0 = System.nanoTime();
            DataInputStream in = new DataInputStream(s.getInputStream());
            Envelope e = Envelope.parseDelimitedFrom(in);
            assertThat(e.getError().getMessage()).contains("no Hello");
            assertThat(in.read()).isEqualTo(-1);
            assertThat((System.nanoTime() - t0) / 1_000_000).isBetween(800L, 4_000L);
        }
    }

    @Test
    void aClientIgnoringCreditsGetsOverloadedNotMemory() throws Exception {
        try (Socket s = new Socket("127.0.0.1", agent.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            Envelope.newBuilder().setHello(Hello.newBuilder().setProtocolVersion(1)).build().writeDelimitedTo(out);
            assertThat(Envelope.parseDelimitedFrom(s.getInputStream()).hasWelcome()).isTrue();
            // 40 frames at once against a window of 4, written in one burst
            ByteArrayOutputStream burst = new ByteArrayOutputStream();
            for (int i = 0; i < 40; i++) {
                Envelope.newBuilder().setFrameRequest(frame("greedy", i, jpeg, "faces")).build().writeDelimitedTo(burst);
            }
            out.write(burst.toByteArray());
            out.flush();
            int ok = 0;
            int overloaded = 0;
            for (int i = 0; i < 40; i++) {
                Envelope e = Envelope.parseDelimitedFrom(s.getInputStream());
                if (e.hasFrameResult()) {
                    ok++;
                } else if (e.getError().getCode() == Code.OVERLOADED) {
                    overloaded++;
                }
            }
            // every frame is answered exactly once; at least the window's worth was processed
            assertThat(ok + overloaded).isEqualTo(40);
            assertThat(ok).isGreaterThanOrEqualTo(4);
        }
    }

    private static void writeVarint(OutputStream out, int v) throws IOException {
        while ((v & ~0x7f) != 0) {
            out.write((v & 0x7f) | 0x80);
            v >>>= 7;
        }
        out.write(v);
    }
}
