package io.argus.agent.registry;

import com.google.protobuf.ByteString;
import io.argus.agent.AgentConfig;
import io.argus.agent.NodeAgent;
import io.argus.protocol.client.AgentConnection;
import io.argus.protocol.client.AgentErrorException;
import io.argus.protocol.client.ClientOptions;
import io.argus.protocol.client.ConnectionListener;
import io.argus.cluster.Assignment;
import io.argus.cluster.ClusterJson;
import io.argus.cluster.ClusterView;
import io.argus.cluster.ZkClients;
import io.argus.cluster.ZkPaths;
import io.argus.protocol.v1.Code;
import io.argus.protocol.v1.Encoding;
import io.argus.protocol.v1.FrameRequest;
import io.argus.protocol.v1.Image;
import io.argus.protocol.v1.StreamControl;
import io.argus.protocol.v1.TaskRequest;
import io.argus.testing.TestAssets;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.CreateMode;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An agent refuses a client-fed stateful stream that the assignment gives to another live agent,
 * without applying the frame: on a real agent, real ZooKeeper and a real socket. The frame it
 * refused is still the next one it would apply when the stream comes back to it.
 */
class StreamOwnershipTest {
    private static final String STREAM = "door";

    private static Code send(AgentConnection c, byte[] jpeg, long seq, long epoch) throws Exception {
        FrameRequest f = FrameRequest.newBuilder().setStreamId(STREAM).setSequence(seq).setEpoch(epoch)
                .setCaptureTimeUs(seq * 40_000).setSourceIndex(seq)
                .setImage(Image.newBuilder().setEncoding(Encoding.JPEG).setData(ByteString.copyFrom(jpeg)))
                .addTasks(TaskRequest.newBuilder().setName("people")).build();
        try {
            c.send(f).get(30, TimeUnit.SECONDS);
            return Code.OK;
        } catch (ExecutionException e) {
            return ((AgentErrorException) e.getCause()).code();
        }
    }

    @Test
    void framesOfAStreamAssignedToAnotherLiveAgentAreRefusedAndNotApplied() throws Exception {
        byte[] jpeg = Files.readAllBytes(TestAssets.file("images/faces/messi5.jpg"));
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        ZkPaths paths = ZkPaths.defaults();
        String other = paths.agents() + "/" + ZkPaths.AGENT_SERVICE + "/own-b";
        try (TestingServer zk = new TestingServer(true);
             NodeAgent agent = NodeAgent.start(AgentConfig.builder().agentId("own-a").zkConnect(zk.getConnectString())
                     .workers(1).build());
             CuratorFramework admin = ZkClients.newClient(zk.getConnectString())) {
            admin.start();
            AgentConnection client = AgentConnection.connect(new InetSocketAddress("127.0.0.1", agent.port()),
                    ClientOptions.builder(group).clientId("desk").build(), ConnectionListener.NONE).get(5, TimeUnit.SECONDS);
            client.control(StreamControl.newBuilder().setStreamId(STREAM).setAction(StreamControl.Action.OPEN)
                    .setNextSequence(0).setFresh(true).setRun(1).build());
            // no assignment (no coordinator): the client's rendezvous choice is applied
            assertThat(send(client, jpeg, 0, 0)).isEqualTo(Code.OK);

            admin.create().creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL).forPath(other, new byte[] {'{', '}'});
            admin.create().creatingParentsIfNeeded().forPath(paths.assignment(STREAM),
                    ClusterJson.write(new Assignment("own-b", "test", System.currentTimeMillis(), "test")));
            await().atMost(Duration.ofSeconds(10)).until(() -> agent.view().assignment(STREAM).isPresent());
            long epochB = agent.view().currentEpoch(STREAM);
            assertThat(send(client, jpeg, 1, 0)).as("no epoch known to the client").isEqualTo(Code.NOT_OWNER);
            assertThat(send(client, jpeg, 1, epochB)).as("routed by the same assignment").isEqualTo(Code.NOT_OWNER);
            assertThat(send(client, jpeg, 2, epochB)).as("a later frame is refused too, not held")
                    .isEqualTo(Code.NOT_OWNER);

            // a client that has seen a newer assignment (naming this agent) than the agent has
            assertThat(send(client, jpeg, 1, epochB + 1_000)).as("frame 1 was never applied: it is next")
                    .isEqualTo(Code.OK);

            // the named owner is gone (its session, and with it its lease): nobody else applies the
            // stream, and a stream no coordinator reassigns must not stop for good
            admin.delete().forPath(other);
            await().atMost(Duration.ofSeconds(5)).until(() -> send(client, jpeg, 2, 0) == Code.OK);

            admin.setData().forPath(paths.assignment(STREAM),
                    ClusterJson.write(new Assignment("own-a", "test", System.currentTimeMillis(), "test")));
            await().atMost(Duration.ofSeconds(10)).until(() -> agent.view().currentEpoch(STREAM) > epochB);
            assertThat(send(client, jpeg, 3, agent.view().currentEpoch(STREAM))).isEqualTo(Code.OK);
            client.close();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void anOwnerWhoseLeaseLapsedCannotConfirmItsOwnership() throws Exception {
        ZkPaths paths = ZkPaths.defaults();
        AtomicLong now = new AtomicLong();
        try (TestingServer zk = new TestingServer(true);
             CuratorFramework mine = ZkClients.newClient(zk.getConnectString())) {
            mine.start();
            String registration = paths.agents() + "/" + ZkPaths.AGENT_SERVICE + "/own-a";
            mine.create().creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL).forPath(registration, new byte[0]);
            mine.create().creatingParentsIfNeeded().forPath(paths.assignment(STREAM),
                    ClusterJson.write(new Assignment("own-a", "test", 0, "test")));
            try (ClusterView view = new ClusterView(mine, paths).start();
                 OwnershipLease lease = new OwnershipLease(mine, registration, 10_000, now::get)) {
                await().atMost(Duration.ofSeconds(10)).until(() -> view.assignment(STREAM).isPresent());
                AssignmentOwnership ownership = new AssignmentOwnership("own-a", view, mine,
                        paths.agents() + "/" + ZkPaths.AGENT_SERVICE, now::get);
                ownership.lease(lease);
                assertThat(ownership.refusal(STREAM, 0)).as("never renewed").contains("lease lapsed");
                lease.renew();
                assertThat(ownership.refusal(STREAM, 0)).isNull();
                // frozen past half the session: whatever the assignment says now, it cannot know
                now.addAndGet(lease.validNanos());
                assertThat(ownership.refusal(STREAM, 0)).contains("lease lapsed");
                lease.renew();
                assertThat(ownership.refusal(STREAM, 0)).isNull();
            }
        }
    }
}
