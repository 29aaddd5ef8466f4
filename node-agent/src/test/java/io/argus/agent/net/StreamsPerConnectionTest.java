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
import io.argus.protocol.v1.Image;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A connection may send at most {@code maxStreamsPerConnection} distinct streams, but a stream it
 * reset or released no longer counts: the gateway runs each multi-image or stateful request on a
 * fresh stream and resets it after the answer, and was refused OVERLOADED for good after 64.
 */
class StreamsPerConnectionTest {
    static NodeAgent agent;
    static EventLoopGroup group;
    static byte[] jpeg;

    @BeforeAll
    static void start() throws Exception {
        LeakCheck.reset();
        agent = NodeAgent.start(AgentConfig.builder().agentId("streams-test").bindHost("127.0.0.1")
                .advertiseHost("127.0.0.1").workers(1).maxStreamsPerConnection(4).warmup(false).build());
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
                ClientOptions.builder(group).clientId("streams").build(), ConnectionListener.NONE).get(5, TimeUnit.SECONDS);
    }

    static FrameRequest frame(String stream) {
        return FrameRequest.newBuilder().setStreamId(stream).setSequence(1)
                .setImage(Image.newBuilder().setEncoding(Encoding.JPEG).setData(ByteString.copyFrom(jpeg)))
                .addTasks(TaskRequest.newBuilder().setName("noop")).build();
    }

    @Test
    void resetStreamsNoLongerCountAgainstTheConnectionsBound() throws Exception {
        try (AgentConnection c = connect()) {
            for (int i = 0; i < 12; i++) {
                String s = "fresh-" + i;
                assertThat(c.send(frame(s)).get(20, TimeUnit.SECONDS).getTasks(0).getStatus()).as(s).isEqualTo(Code.OK);
                c.control(StreamControl.newBuilder().setStreamId(s).setAction(i % 2 == 0
                        ? StreamControl.Action.RESET : StreamControl.Action.RELEASE).build());
            }
        }
    }

    @Test
    void streamsKeptOpenStillCountAndTheFifthIsRefused() throws Exception {
        try (AgentConnection c = connect()) {
            for (int i = 0; i < 4; i++) {
                c.send(frame("kept-" + i)).get(20, TimeUnit.SECONDS);
            }
            assertThatThrownBy(() -> c.send(frame("kept-4")).get(20, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(AgentErrorException.class)
                    .hasMessageContaining("already has 4 streams");
        }
    }
}
