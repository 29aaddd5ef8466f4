package io.argus.agent.exec;

import com.google.protobuf.ByteString;
import io.argus.agent.AgentConfig;
import io.argus.agent.NodeAgent;
import io.argus.media.image.OpenCv;
import io.argus.protocol.client.AgentConnection;
import io.argus.protocol.client.ClientOptions;
import io.argus.protocol.client.ConnectionListener;
import io.argus.protocol.v1.Code;
import io.argus.protocol.v1.Encoding;
import io.argus.protocol.v1.FrameRequest;
import io.argus.protocol.v1.FrameResult;
import io.argus.protocol.v1.Image;
import io.argus.protocol.v1.TaskRequest;
import io.argus.testing.LeakCheck;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16, item 3, against a real agent over loopback: a 4K frame for {@code people} (the heavy
 * tasks' largest, which takes seconds of a worker) under a processing budget of 50 ms. The people
 * task stops at a stage boundary with {@code TIMEOUT} in its result; the frame's cheap task, a
 * bystander stream and the stream's next frame are all answered.
 */
class ProcessingBudgetAgentTest {
    static NodeAgent agent;
    static EventLoopGroup group;

    @BeforeAll
    static void start() throws Exception {
        LeakCheck.reset();
        agent = NodeAgent.start(AgentConfig.builder().agentId("budget-test").bindHost("127.0.0.1")
                .advertiseHost("127.0.0.1").workers(2).warmup(false).taskBudgetMs(50).build());
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
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

    /** A busy 4K picture: noise, smoothed so that its JPEG stays well under the frame size limit. */
    static byte[] noisyJpeg(int w, int h) {
        OpenCv.load();
        Mat small = new Mat(h / 4, w / 4, CvType.CV_8UC3);
        Mat big = new Mat();
        MatOfByte buf = new MatOfByte();
        MatOfInt quality = new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, 85);
        try {
            Core.setRNGSeed(16);
            Core.randu(small, 0, 256);
            Imgproc.resize(small, big, new Size(w, h), 0, 0, Imgproc.INTER_CUBIC);
            Imgcodecs.imencode(".jpg", big, buf, quality);
            return buf.toArray();
        } finally {
            small.release();
            big.release();
            buf.release();
            quality.release();
        }
    }

    static FrameRequest frame(String stream, long seq, byte[] jpeg, String... tasks) {
        FrameRequest.Builder b = FrameRequest.newBuilder().setStreamId(stream).setSequence(seq).setSourceIndex(seq)
                .setCaptureTimeUs(1_000_000 + seq * 100_000)
                .setImage(Image.newBuilder().setEncoding(Encoding.JPEG).setData(ByteString.copyFrom(jpeg)));
        for (String t : tasks) {
            b.addTasks(TaskRequest.newBuilder().setName(t));
        }
        return b.build();
    }

    @Test
    void aTaskOverItsBudgetAnswersTimeoutAndTheWorkerGoesOn() throws Exception {
        byte[] uhd = noisyJpeg(3840, 2160);
        try (AgentConnection heavy = connect("heavy"); AgentConnection bystander = connect("bystander")) {
            long t0 = System.nanoTime();
            CompletableFuture<FrameResult> big = heavy.send(frame("uhd", 0, uhd, "people", "color"));
            FrameResult other = bystander.send(frame("small", 0, noisyJpeg(320, 240), "color")).get(60, TimeUnit.SECONDS);
            assertThat(other.getTasks(0).getStatus()).isEqualTo(Code.OK);

            FrameResult r = big.get(120, TimeUnit.SECONDS);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(r.getSequence()).isZero();
            assertThat(r.getTasks(0).getTask()).isEqualTo("people");
            assertThat(r.getTasks(0).getStatus()).isEqualTo(Code.TIMEOUT);
            assertThat(r.getTasks(0).getMessage()).contains("processing budget of 50 ms").contains("taskBudgetMs");
            assertThat(r.getTasks(1).getStatus()).isEqualTo(Code.OK); // the frame's other task still ran
            long peopleMs = r.getTimingsList().stream().filter(t -> t.getStage().equals("task.people"))
                    .findFirst().orElseThrow().getMicros() / 1_000;
            System.out.printf("BUDGET agent: 4K people frame stopped after %d ms of people (%d ms in all): %s%n",
                    peopleMs, ms, r.getTasks(0).getMessage());

            // the frame counted as applied: the stateful stream goes on with its next frame (not
            // OUT_OF_ORDER), the worker is free for it, and a resend of it is answered from the
            // stored answer, never applied twice
            byte[] small = noisyJpeg(320, 240);
            FrameResult next = heavy.send(frame("uhd", 1, small, "people")).get(60, TimeUnit.SECONDS);
            assertThat(next.getSequence()).isEqualTo(1);
            assertThat(next.getTasks(0).getStatus()).isIn(Code.OK, Code.TIMEOUT);
            assertThat(next.getReplayed()).isFalse();
            FrameResult again = heavy.send(frame("uhd", 1, small, "people")).get(60, TimeUnit.SECONDS);
            assertThat(again.getReplayed()).isTrue();
            double exceeded = agent.runtime().metrics().registry().get("argus.agent.budget.exceeded")
                    .tag("task", "people").counter().count();
            assertThat(exceeded).isGreaterThanOrEqualTo(1.0);
            assertThat(agent.runtime().metrics().registry().scrape()).contains("argus_agent_budget_exceeded_total");
        }
    }
}
