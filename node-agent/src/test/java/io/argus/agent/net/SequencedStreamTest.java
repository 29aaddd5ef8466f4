package io.argus.agent.net;

import com.google.protobuf.ByteString;
import io.argus.agent.AgentConfig;
import io.argus.agent.NodeAgent;
import io.argus.protocol.client.AgentConnection;
import io.argus.protocol.client.ClientOptions;
import io.argus.protocol.client.ConnectionListener;
import io.argus.protocol.client.OutOfOrderException;
import io.argus.protocol.v1.Code;
import io.argus.protocol.v1.Encoding;
import io.argus.protocol.v1.FrameRequest;
import io.argus.protocol.v1.FrameResult;
import io.argus.protocol.v1.Image;
import io.argus.protocol.v1.StateBundle;
import io.argus.protocol.v1.StreamControl;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A stateful stream's frames are applied strictly in sequence order, each at most once, over a
 * real agent on loopback: a frame ahead of a missing one is refused (never applied early), a
 * resend of an applied frame gets its stored answer (never applied twice), and a stream that is
 * not open must be opened first.
 */
class SequencedStreamTest {
    static NodeAgent agent;
    static EventLoopGroup group;
    static byte[] jpeg;

    @BeforeAll
    static void start() throws Exception {
        LeakCheck.reset();
        agent = NodeAgent.start(AgentConfig.builder().agentId("seq-test").bindHost("127.0.0.1")
                .advertiseHost("127.0.0.1").workers(2).creditsPerConnection(8).warmup(false).build());
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
                ClientOptions.builder(group).clientId("seq").build(), ConnectionListener.NONE).get(5, TimeUnit.SECONDS);
    }

    static FrameRequest frame(String stream, long seq) {
        return FrameRequest.newBuilder().setStreamId(stream).setSequence(seq).setSourceIndex(seq)
                .setCaptureTimeUs(1_000_000 + seq * 40_000)
                .setImage(Image.newBuilder().setEncoding(Encoding.JPEG).setData(ByteString.copyFrom(jpeg)))
                .addTasks(TaskRequest.newBuilder().setName("people").putParams("lines", "door:270,0,270,341"))
                .build();
    }

    static Throwable failure(CompletableFuture<FrameResult> f) throws Exception {
        try {
            f.get(20, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }

    @Test
    void aFrameAheadOfAMissingOneIsRefusedAndNeverAppliedEarly() throws Exception {
        try (AgentConnection c = connect()) {
            assertThat(c.send(frame("ahead", 0)).get(20, TimeUnit.SECONDS).getTasks(0).getStatus()).isEqualTo(Code.OK);
            // frame 1 was refused on its way (say, OVERLOADED); frame 2 is offered in its place
            Throwable t = failure(c.send(frame("ahead", 2)));
            assertThat(t).isInstanceOf(OutOfOrderException.class);
            assertThat(((OutOfOrderException) t).expected()).hasValue(1);
            // in order, both are applied
            FrameResult one = c.send(frame("ahead", 1)).get(20, TimeUnit.SECONDS);
            FrameResult two = c.send(frame("ahead", 2)).get(20, TimeUnit.SECONDS);
            assertThat(one.getReplayed()).isFalse();
            assertThat(two.getReplayed()).isFalse();
            assertThat(two.getSequence()).isEqualTo(2);
        }
    }

    @Test
    void aResendOfAnAppliedFrameGetsItsStoredAnswerAndIsNotAppliedTwice() throws Exception {
        try (AgentConnection c = connect()) {
            FrameResult first = c.send(frame("dup", 0)).get(20, TimeUnit.SECONDS);
            c.send(frame("dup", 1)).get(20, TimeUnit.SECONDS);
            FrameResult again = c.send(frame("dup", 0)).get(20, TimeUnit.SECONDS);
            assertThat(again.getReplayed()).isTrue();
            assertThat(again.getTasksList()).isEqualTo(first.getTasksList());
            // the stream goes on at 2, as if the resend had not happened
            Throwable t = failure(c.send(frame("dup", 3)));
            assertThat(((OutOfOrderException) t).expected()).hasValue(2);
        }
    }

    @Test
    void aStreamMustBeOpenedBeforeItsFirstFrameUnlessThatIsFrameZero() throws Exception {
        try (AgentConnection c = connect()) {
            Throwable t = failure(c.send(frame("late", 7)));
            assertThat(t).isInstanceOf(OutOfOrderException.class);
            assertThat(((OutOfOrderException) t).expected()).isEmpty();
            c.control(StreamControl.newBuilder().setStreamId("late").setAction(StreamControl.Action.OPEN)
                    .setNextSequence(7).setFresh(true).build());
            assertThat(c.send(frame("late", 7)).get(20, TimeUnit.SECONDS).getTasks(0).getStatus()).isEqualTo(Code.OK);
        }
    }

    @Test
    void statelessFramesAreNotSequenced() throws Exception {
        try (AgentConnection c = connect()) {
            FrameRequest colour = frame("free", 5).toBuilder().clearTasks()
                    .addTasks(TaskRequest.newBuilder().setName("color")).build();
            assertThat(c.send(colour).get(20, TimeUnit.SECONDS).getTasks(0).getStatus()).isEqualTo(Code.OK);
            assertThat(c.send(colour.toBuilder().setSequence(3).build()).get(20, TimeUnit.SECONDS).getReplayed()).isFalse();
        }
    }

    @Test
    void aCheckpointCarriesItsLastSequenceAndOpensTheStreamAfterIt() throws Exception {
        CompletableFuture<StateBundle> handedOver = new CompletableFuture<>();
        ConnectionListener listener = new ConnectionListener() {
            @Override
            public void onState(AgentConnection connection, StateBundle state) {
                handedOver.complete(state);
            }
        };
        try (AgentConnection c = AgentConnection.connect(new InetSocketAddress("127.0.0.1", agent.port()),
                ClientOptions.builder(group).clientId("seq").build(), listener).get(5, TimeUnit.SECONDS)) {
            for (int i = 0; i < 3; i++) {
                c.send(frame("moving", i)).get(20, TimeUnit.SECONDS);
            }
            c.control(StreamControl.newBuilder().setStreamId("moving").setAction(StreamControl.Action.RELEASE).build());
            var bundle = handedOver.get(10, TimeUnit.SECONDS);
            assertThat(bundle.getHasLastSequence()).isTrue();
            assertThat(bundle.getLastSequence()).isEqualTo(2);
            // on another stream name, as a new owner would: import, then continue at 3
            c.control(StreamControl.newBuilder().setStreamId("moved").setAction(StreamControl.Action.OPEN)
                    .setNextSequence(3).setImportState(bundle.toBuilder().setStreamId("moved").build().toByteString()).build());
            assertThat(c.send(frame("moved", 3)).get(20, TimeUnit.SECONDS).getReplayed()).isFalse();
            Throwable t = failure(c.send(frame("moved", 2)));
            assertThat(((OutOfOrderException) t).expected()).hasValue(4);
        }
    }
}
