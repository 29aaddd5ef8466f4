package io.argus.agent.exec;

import io.argus.media.image.OpenCv;
import io.argus.protocol.client.AgentConnection;
import io.argus.protocol.client.AgentErrorException;
import io.argus.protocol.client.ClientOptions;
import io.argus.protocol.client.ConnectionListener;
import io.argus.protocol.v1.Code;
import io.argus.protocol.v1.FrameResult;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import org.junit.jupiter.api.Test;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real agent process whose JavaCPP limit is set (as the launchers set it, here far lower): a
 * frame whose decoding needs more native memory than JavaCPP allows is answered with a typed
 * {@code OVERLOADED} naming the limits, never {@code INTERNAL}, and the process keeps serving.
 * The limit is JavaCPP's own {@code -Dorg.bytedeco.javacpp.maxBytes}, read once per process,
 * which is why this test needs a process of its own.
 */
class NativeMemoryAgentProcessTest {
    @Test
    void aFrameOverJavaCppsLimitIsOverloadedAndTheAgentGoesOn() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path log = Files.createTempFile("argus-native-memory-agent", ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process agent = new ProcessBuilder(List.of(java, "-Xmx256m", "-XX:+ExitOnOutOfMemoryError",
                "-Dorg.bytedeco.javacpp.maxBytes=64k", "-cp", System.getProperty("java.class.path"),
                "io.argus.agent.AgentMain", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--no-warmup", "--workers", "1"))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            AgentConnection c = null;
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (c == null) {
                try {
                    c = AgentConnection.connect(new InetSocketAddress("127.0.0.1", port),
                            ClientOptions.builder(group).clientId("native").build(), ConnectionListener.NONE)
                            .get(5, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    assertThat(agent.isAlive()).as("agent process (log %s)", log).isTrue();
                    assertThat(System.nanoTime()).as("agent up within 60 s (log %s)", log).isLessThan(until);
                    Thread.sleep(200);
                }
            }
            try {
                byte[] big = ProcessingBudgetAgentTest.noisyJpeg(1280, 720); // well over 64 KiB
                assertThat(big.length).isGreaterThan(64 * 1024);
                CompletableFuture<FrameResult> f = c.send(ProcessingBudgetAgentTest.frame("big", 0, big, "color"));
                Throwable t = null;
                try {
                    f.get(60, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    t = e.getCause();
                }
                assertThat(t).as("answer to a frame over JavaCPP's maxBytes").isInstanceOf(AgentErrorException.class);
                assertThat(((AgentErrorException) t).code()).isEqualTo(Code.OVERLOADED);
                assertThat(t.getMessage()).contains("native memory").contains("maxBytes 65536");
                System.out.printf("NATIVE-MEMORY agent process: %d-byte JPEG over maxBytes 64k -> %s%n", big.length, t.getMessage());

                // a frame within the limit is decoded by the same process
                byte[] small = StateMemoryJpeg.flat(64, 48);
                FrameResult ok = c.send(ProcessingBudgetAgentTest.frame("small", 0, small, "color")).get(60, TimeUnit.SECONDS);
                assertThat(ok.getTasks(0).getStatus()).isEqualTo(Code.OK);
                assertThat(agent.isAlive()).isTrue();
                Files.deleteIfExists(log); // kept only when the test fails
            } finally {
                c.close();
            }
        } finally {
            agent.destroy();
            if (!agent.waitFor(10, TimeUnit.SECONDS)) {
                agent.destroyForcibly();
            }
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /** A tiny flat JPEG (a few hundred bytes). */
    static final class StateMemoryJpeg {
        static byte[] flat(int w, int h) {
            OpenCv.load();
            Mat m = new Mat(h, w, CvType.CV_8UC3,
                    new Scalar(10, 200, 30));
            MatOfByte buf = new MatOfByte();
            try {
                Imgcodecs.imencode(".jpg", m, buf);
                return buf.toArray();
            } finally {
                m.release();
                buf.release();
            }
        }
    }
}
