package io.argus.coordinator.http;

import com.google.protobuf.ByteString;
import io.argus.agent.AgentConfig;
import io.argus.agent.NodeAgent;
import io.argus.protocol.ResultMerger;
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
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The gateway's wait for credit, against a real agent with a window of 2 frames. */
class CreditQueueTest {

    static FrameRequest frame(long seq, byte[] jpeg) {
        return FrameRequest.newBuilder().setStreamId("cq-" + (seq % 4)).setSequence(seq)
                .setImage(Image.newBuilder().setEncoding(Encoding.JPEG).setData(ByteString.copyFrom(jpeg)))
                .addTasks(TaskRequest.newBuilder().setName("color")).build();
    }

    @Test
    void requestsBeyondTheWindowWaitInsteadOfFailingAndTheQueueIsBounded() throws Exception {
        LeakCheck.reset();
        byte[] jpeg = Files.readAllBytes(TestAssets.file("images/faces/messi5.jpg"));
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        CreditQueue queue = new CreditQueue();
        try (NodeAgent agent = NodeAgent.start(AgentConfig.builder().agentId("cq-agent").bindHost("127.0.0.1")
                .advertiseHost("127.0.0.1").workers(1).creditsPerConnection(2).build())) {
            AgentConnection c = AgentConnection.connect(new InetSocketAddress("127.0.0.1", agent.port()),
                    ClientOptions.builder(group).clientId("cq").build(), new ConnectionListener() {
                        @Override
                        public void onCredit(AgentConnection connection) {
                            queue.drain(connection);
                        }
                    }).get(5, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);

            // without the queue, everything past the window of 2 is refused at once
            List<CompletableFuture<FrameResult>> direct = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                direct.add(c.send(frame(i, jpeg)));
            }
            long refused = direct.stream().filter(f -> {
                try {
                    f.get(10, TimeUnit.SECONDS);
                    return false;
                } catch (Exception e) {
                    return e.getCause() instanceof AgentErrorException a && a.code() == Code.OVERLOADED;
                }
            }).count();
            assertThat(refused).isEqualTo(4);

            // through the queue: 2 in flight, up to MAX_WAITING waiting, one more refused
            int total = 2 + CreditQueue.MAX_WAITING + 1;
            List<CompletableFuture<FrameResult>> queued = new ArrayList<>();
            // queued on the connection's event loop, so that no answer (and the credit it returns)
            // can drain the queue before it is full: otherwise the bound is reached only by luck
            group.submit(() -> {
                for (int i = 0; i < total; i++) {
                    queued.add(queue.send(c, frame(100 + i, jpeg), deadline));
                }
            }).get(10, TimeUnit.SECONDS);
            int ok = 0;
            List<Code> failures = new ArrayList<>();
            for (CompletableFuture<FrameResult> f : queued) {
                try {
                    assertThat(ResultMerger.firstFailure(f.get(30, TimeUnit.SECONDS))).isEqualTo(Code.OK);
                    ok++;
                } catch (ExecutionException e) {
                    failures.add(((AgentErrorException) e.getCause()).code());
                }
            }
            assertThat(failures).as("only the request beyond the bound is refused").containsExactly(Code.OVERLOADED);
            assertThat(ok).isEqualTo(total - 1);
            assertThat(queue.waiting()).isZero();

            // a waiter whose deadline passed is not sent
            List<CompletableFuture<FrameResult>> late = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                late.add(queue.send(c, frame(1000 + i, jpeg), System.nanoTime() - 1));
            }
            long timedOut = late.stream().filter(f -> {
                try {
                    f.get(10, TimeUnit.SECONDS);
                    return false;
                } catch (Exception e) {
                    return e.getCause() instanceof AgentErrorException a && a.code() == Code.TIMEOUT;
                }
            }).count();
            // the first ones found free credit and were sent at once; the rest expired in the queue
            assertThat(timedOut).isBetween(1L, 2L);
            c.close();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
        LeakCheck.assertNoLeaks();
    }
}
