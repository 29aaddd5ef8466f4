package io.argus.agent.net;

import com.google.protobuf.ByteString;
import io.argus.agent.AgentConfig;
import io.argus.agent.NodeAgent;
import io.argus.protocol.client.AgentConnection;
import io.argus.protocol.client.AgentErrorException;
import io.argus.protocol.client.ClientOptions;
import io.argus.protocol.client.ConnectionListener;
import io.argus.cluster.ClusterJson;
import io.argus.cluster.StreamDefinition;
import io.argus.cluster.ZkClients;
import io.argus.cluster.ZkPaths;
import io.argus.protocol.v1.Code;
import io.argus.protocol.v1.Encoding;
import io.argus.protocol.v1.FrameRequest;
import io.argus.protocol.v1.FrameResult;
import io.argus.protocol.v1.Preview;
import io.argus.protocol.v1.Image;
import io.argus.protocol.v1.StateBundle;
import io.argus.protocol.v1.StreamControl;
import io.argus.protocol.v1.Subscribe;
import io.argus.protocol.v1.TaskRequest;
import io.argus.testing.LeakCheck;
import io.argus.testing.TestAssets;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The attacks of a stranger on other parties' streams, against a real agent over real sockets with
 * real ZooKeeper: releasing or resetting a stream it does not own (which handed out its state and
 * zeroed its counts), feeding frames into it, subscribing to it, and subscribing without bound.
 * Tokens: {@code operator} (no prefix), {@code viewer:}, {@code admin:}.
 */
class StreamAccessTest {
    static final String OPERATOR = "op-secret";
    static final String VIEWER = "eyes-secret";
    static final String ADMIN = "boss-secret";
    static TestingServer zk;
    static NodeAgent agent;
    static EventLoopGroup group;
    static byte[] jpeg;

    @BeforeAll
    static void start() throws Exception {
        LeakCheck.reset();
        zk = new TestingServer(true);
        agent = NodeAgent.start(AgentConfig.builder().agentId("acl-agent").zkConnect(zk.getConnectString()).workers(1)
                .authTokens(List.of(OPERATOR, "viewer:" + VIEWER, "admin:" + ADMIN)).maxSubscriptionsPerConnection(3)
                .build());
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        jpeg = Files.readAllBytes(TestAssets.file("images/faces/messi5.jpg"));
    }

    @AfterAll
    static void stop() throws Exception {
        agent.close();
        zk.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        LeakCheck.assertNoLeaks();
    }

    /** Records what the agent sends besides frame answers. */
    static final class Heard implements ConnectionListener {
        final BlockingQueue<AgentErrorException> errors = new LinkedBlockingQueue<>();
        final BlockingQueue<StateBundle> states = new LinkedBlockingQueue<>();
        final BlockingQueue<FrameResult> pushed = new LinkedBlockingQueue<>();

        @Override
        public void onPreview(AgentConnection c, Preview p) {
            pushed.add(p.getResult());
        }

        @Override
        public void onError(AgentConnection c, AgentErrorException e) {
            errors.add(e);
        }

        @Override
        public void onState(AgentConnection c, StateBundle s) {
            states.add(s);
        }
    }

    static AgentConnection connect(String clientId, String token, Heard heard) throws Exception {
        return AgentConnection.connect(new InetSocketAddress("127.0.0.1", agent.port()),
                ClientOptions.builder(group).clientId(clientId).authToken(token).build(), heard).get(5, TimeUnit.SECONDS);
    }

    static Code send(AgentConnection c, String stream, long seq) throws Exception {
        FrameRequest f = FrameRequest.newBuilder().setStreamId(stream).setSequence(seq).setSourceIndex(seq)
                .setCaptureTimeUs(seq * 40_000)
                .setImage(Image.newBuilder().setEncoding(Encoding.JPEG).setData(ByteString.copyFrom(jpeg)))
                .addTasks(TaskRequest.newBuilder().setName("people")).build();
        try {
            c.send(f).get(30, TimeUnit.SECONDS);
            return Code.OK;
        } catch (ExecutionException e) {
            return ((AgentErrorException) e.getCause()).code();
        }
    }

    static void open(AgentConnection c, String stream, long next) {
        c.control(StreamControl.newBuilder().setStreamId(stream).setAction(StreamControl.Action.OPEN)
                .setNextSequence(next).setFresh(next == 0).setRun(1).build());
    }

    @Test
    void aStrangerCannotReleaseResetOrFeedAnotherClientsStream() throws Exception {
        Heard ownerHeard = new Heard();
        Heard strangerHeard = new Heard();
        AgentConnection owner = connect("desk", OPERATOR, ownerHeard);
        AgentConnection stranger = connect("mallory", OPERATOR, strangerHeard);
        open(owner, "lobby", 0);
        assertThat(send(owner, "lobby", 0)).isEqualTo(Code.OK);
        assertThat(send(owner, "lobby", 1)).isEqualTo(Code.OK);

        stranger.control(StreamControl.newBuilder().setStreamId("lobby").setAction(StreamControl.Action.RELEASE).build());
        AgentErrorException refused = strangerHeard.errors.poll(10, TimeUnit.SECONDS);
        assertThat(refused).isNotNull();
        assertThat(refused.code()).isEqualTo(Code.PERMISSION_DENIED);
        assertThat(refused.getMessage()).contains("RELEASE refused");
        stranger.control(StreamControl.newBuilder().setStreamId("lobby").setAction(StreamControl.Action.RESET).build());
        assertThat(strangerHeard.errors.poll(10, TimeUnit.SECONDS).code()).isEqualTo(Code.PERMISSION_DENIED);
        assertThat(send(stranger, "lobby", 2)).as("frames into another's stream").isEqualTo(Code.PERMISSION_DENIED);
        assertThat(strangerHeard.states).as("no state handed out").isEmpty();

        // the owner's stream went on untouched: frame 2 is still the next one it applies
        assertThat(send(owner, "lobby", 2)).isEqualTo(Code.OK);
        assertThat(agent.runtime().states().find("lobby")).isPresent();

        // an admin token may release it (maintenance), and gets the state
        Heard adminHeard = new Heard();
        AgentConnection admin = connect("ops", ADMIN, adminHeard);
        admin.control(StreamControl.newBuilder().setStreamId("lobby").setAction(StreamControl.Action.RELEASE).build());
        StateBundle state = adminHeard.states.poll(10, TimeUnit.SECONDS);
        assertThat(state).isNotNull();
        assertThat(state.getStreamId()).isEqualTo("lobby");
        assertThat(adminHeard.errors).isEmpty();
        owner.close();
        stranger.close();
        admin.close();
    }

    @Test
    void registeredAndManagedStreamsBelongToTheirOwners() throws Exception {
        ZkPaths paths = ZkPaths.defaults();
        try (CuratorFramework c = ZkClients.newClient(zk.getConnectString())) {
            c.start();
            c.create().creatingParentsIfNeeded().forPath(paths.stream("cam-reg"), ClusterJson.write(new StreamDefinition(
                    "cam-reg", "desk-2", StreamDefinition.CLIENT, List.of(), null, false, 0, 0, 0)));
            c.create().creatingParentsIfNeeded().forPath(paths.stream("cam-managed"), ClusterJson.write(new StreamDefinition(
                    "cam-managed", "coordinator", StreamDefinition.MANAGED, List.of(), "/x.avi", false, 0, 0, 0)));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> agent.view().stream("cam-managed").isPresent()
                && agent.view().stream("cam-reg").isPresent());
        Heard h = new Heard();
        AgentConnection stranger = connect("mallory", OPERATOR, h);
        AgentConnection registrant = connect("desk-2", OPERATOR, new Heard());
        // first to send does not make the stranger the owner of a registered stream
        assertThat(send(stranger, "cam-reg", 0)).isEqualTo(Code.PERMISSION_DENIED);
        open(registrant, "cam-reg", 0);
        assertThat(send(registrant, "cam-reg", 0)).isEqualTo(Code.OK);
        stranger.control(StreamControl.newBuilder().setStreamId("cam-managed").setAction(StreamControl.Action.RELEASE).build());
        AgentErrorException e = h.errors.poll(10, TimeUnit.SECONDS);
        assertThat(e.code()).isEqualTo(Code.PERMISSION_DENIED);
        assertThat(e.getMessage()).contains("managed");
        // viewing: a managed stream yes, another client's stream no, with a viewer token anything
        stranger.subscribe(Subscribe.newBuilder().setStreamId("cam-managed").build());
        stranger.subscribe(Subscribe.newBuilder().setStreamId("cam-reg").build());
        e = h.errors.poll(10, TimeUnit.SECONDS);
        assertThat(e.code()).isEqualTo(Code.PERMISSION_DENIED);
        assertThat(e.getMessage()).contains("cam-reg");
        assertThat(h.errors.poll(300, TimeUnit.MILLISECONDS)).as("the managed one was accepted").isNull();
        Heard vh = new Heard();
        AgentConnection viewer = connect("wall", VIEWER, vh);
        viewer.subscribe(Subscribe.newBuilder().setStreamId("cam-reg").build());
        assertThat(send(viewer, "cam-reg", 1)).as("a viewer sends nothing").isEqualTo(Code.PERMISSION_DENIED);
        assertThat(vh.errors).isEmpty();
        stranger.close();
        registrant.close();
        viewer.close();
    }

    /**
     * A viewer allowed to follow a stream fed by a client gets its results as they are made. (Since
     * the stuck-worker watchdog, the worker tested "answered already" after answering itself, and
     * neither published nor recorded any client frame's result: walls following a client-fed
     * stream stayed empty, and its events never reached the coordinators.)
     */
    @Test
    void aViewerFollowingAClientFedStreamGetsItsResults() throws Exception {
        int before = agent.runtime().viewers().followedStreams();
        Heard viewerHeard = new Heard();
        AgentConnection viewer = connect("wall-3", VIEWER, viewerHeard);
        AgentConnection owner = connect("feeder", OPERATOR, new Heard());
        try {
            viewer.subscribe(Subscribe.newBuilder().setStreamId("followed").build());
            await().atMost(Duration.ofSeconds(5)).until(() -> agent.runtime().viewers().followedStreams() == before + 1);
            open(owner, "followed", 0);
            for (long seq = 0; seq < 3; seq++) {
                assertThat(send(owner, "followed", seq)).isEqualTo(Code.OK);
            }
            for (long seq = 0; seq < 3; seq++) {
                FrameResult r = viewerHeard.pushed.poll(10, TimeUnit.SECONDS);
                assertThat(r).as("result %d pushed to the viewer", seq).isNotNull();
                assertThat(r.getStreamId()).isEqualTo("followed");
                assertThat(r.getSequence()).isEqualTo(seq);
            }
        } finally {
            viewer.close();
            owner.close();
        }
        // the other tests count subscriptions from theirs: leave none behind
        await().atMost(Duration.ofSeconds(5)).until(() -> agent.runtime().viewers().followedStreams() == before);
    }

    @Test
    void subscriptionsAreBoundedPerConnectionAndFreedOnClose() throws Exception {
        int before = agent.runtime().viewers().followedStreams();
        Heard h = new Heard();
        AgentConnection viewer = connect("wall-2", VIEWER, h);
        for (int i = 0; i < 3; i++) {
            viewer.subscribe(Subscribe.newBuilder().setStreamId("v" + i).build());
        }
        viewer.subscribe(Subscribe.newBuilder().setStreamId("v0").setPreviewMaxWidth(320).build()); // again: fine
        await().atMost(Duration.ofSeconds(5)).until(() -> agent.runtime().viewers().followedStreams() == before + 3);
        for (int i = 3; i < 8; i++) {
            viewer.subscribe(Subscribe.newBuilder().setStreamId("v" + i).build());
        }
        for (int i = 3; i < 8; i++) {
            AgentErrorException e = h.errors.poll(10, TimeUnit.SECONDS);
            assertThat(e).as("refusal %d", i).isNotNull();
            assertThat(e.code()).isEqualTo(Code.OVERLOADED);
            assertThat(e.getMessage()).contains("3 streams");
        }
        assertThat(agent.runtime().viewers().followedStreams()).isEqualTo(before + 3);
        viewer.close();
        await().atMost(Duration.ofSeconds(5)).until(() -> agent.runtime().viewers().followedStreams() == before);
    }

    /** The attack that ran an agent out of heap: a connection subscribing to ever new stream ids. */
    @Test
    void aSubscriptionFloodIsCutOffAndLeavesNothingBehind() throws Exception {
        int before = agent.runtime().viewers().followedStreams();
        AgentConnection flooder = connect("flood", VIEWER, new Heard());
        for (int i = 0; i < 100_000 && flooder.isActive(); i++) {
            flooder.subscribe(Subscribe.newBuilder().setStreamId("f" + i).build());
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> !flooder.isActive());
        await().atMost(Duration.ofSeconds(5)).until(() -> agent.runtime().viewers().followedStreams() == before);
        // and the agent still serves others
        AgentConnection after = connect("after-flood", OPERATOR, new Heard());
        open(after, "after-flood", 0);
        assertThat(send(after, "after-flood", 0)).isEqualTo(Code.OK);
        after.close();
    }
}
