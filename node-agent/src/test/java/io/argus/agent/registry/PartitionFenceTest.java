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
import io.argus.cluster.StreamDefinition;
import io.argus.cluster.ZkClients;
import io.argus.cluster.ZkPaths;
import io.argus.protocol.v1.Code;
import io.argus.protocol.v1.Encoding;
import io.argus.protocol.v1.FrameRequest;
import io.argus.protocol.v1.Image;
import io.argus.protocol.v1.TaskRequest;
import io.argus.testing.TestAssets;
import io.argus.cluster.SourcePolicy;
import io.argus.cluster.SourcePolicies;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A partitioned agent: its ZooKeeper connection is gone while its frame port still works. The
 * cluster may already be giving its streams to another agent, so it must stop processing them at
 * once (fencing) instead of when its session finally expires, and take them back only when its
 * session proves it still owns them.
 */
class PartitionFenceTest {
    static final AtomicLong SEQ = new AtomicLong();

    static Code send(AgentConnection c, byte[] jpeg) throws Exception {
        FrameRequest f = FrameRequest.newBuilder().setStreamId("desk-cam").setSequence(SEQ.incrementAndGet())
                .setImage(Image.newBuilder().setEncoding(Encoding.JPEG).setData(ByteString.copyFrom(jpeg)))
                .addTasks(TaskRequest.newBuilder().setName("color")).build();
        try {
            return c.send(f).get(10, TimeUnit.SECONDS).getTasks(0).getStatus();
        } catch (ExecutionException e) {
            return ((AgentErrorException) e.getCause()).code();
        }
    }

    @Test
    void aPartitionedAgentStopsItsStreamsAtOnceAndTakesThemBackWhenItsSessionSurvives() throws Exception {
        byte[] jpeg = Files.readAllBytes(TestAssets.file("images/faces/messi5.jpg"));
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        ZkPaths paths = ZkPaths.defaults();
        try (TestingServer zk = new TestingServer(new InstanceSpec(null, -1, -1, -1, true, -1, 200, -1, Map.of()), true);
             NodeAgent agent = NodeAgent.start(AgentConfig.builder().agentId("part-a").zkConnect(zk.getConnectString())
                     .workers(1).zkSessionTimeoutMs(10_000).build());
             CuratorFramework admin = ZkClients.newClient(zk.getConnectString())) {
            admin.start();
            SourcePolicies.write(admin, ZkPaths.defaults(), SourcePolicy.DEFAULT.withMediaRoot(TestAssets.root()));
            long now = System.currentTimeMillis();
            StreamDefinition lobby = new StreamDefinition("lobby", "test", StreamDefinition.MANAGED,
                    List.of(new StreamDefinition.TaskSpec("color", Map.of())), TestAssets.vtestSource(), true, now, 0, 0);
            admin.create().creatingParentsIfNeeded().forPath(paths.stream("lobby"), ClusterJson.write(lobby));
            admin.create().creatingParentsIfNeeded().forPath(paths.assignment("lobby"),
                    ClusterJson.write(new Assignment("part-a", "test", now, "test")));
            await().atMost(Duration.ofSeconds(10)).until(() -> agent.managedStreams().contains("lobby"));
            AgentConnection client = AgentConnection.connect(new InetSocketAddress("127.0.0.1", agent.port()),
                    ClientOptions.builder(group).clientId("desk").build(), ConnectionListener.NONE).get(5, TimeUnit.SECONDS);
            assertThat(send(client, jpeg)).isEqualTo(Code.OK);

            zk.stop();
            // well inside the 10 s session: nobody has expired it yet, and still the agent lets go
            await().atMost(Duration.ofSeconds(3)).until(() -> agent.managedStreams().isEmpty());
            assertThat(send(client, jpeg)).as("client-fed frames are handed back").isEqualTo(Code.UNAVAILABLE);

            zk.restart();
            // the session survived, so the assignment is still this agent's: it takes the streams back
            await().atMost(Duration.ofSeconds(15)).until(() -> agent.managedStreams().contains("lobby"));
            await().atMost(Duration.ofSeconds(5)).until(() -> send(client, jpeg) == Code.OK);
            client.close();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
