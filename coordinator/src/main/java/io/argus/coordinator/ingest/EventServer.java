package io.argus.coordinator.ingest;

import io.argus.coordinator.store.EventStore;
import io.argus.protocol.Envelopes;
import io.argus.protocol.ProtocolConstants;
import io.argus.protocol.auth.RoleTokens;
import io.argus.protocol.codec.FrameCodec;
import io.argus.protocol.net.Transport;
import io.argus.protocol.v1.Code;
import io.argus.protocol.v1.Envelope;
import io.argus.protocol.v1.EventAck;
import io.argus.protocol.v1.EventBatch;
import io.argus.protocol.v1.HeldCheckpoint;
import io.argus.protocol.v1.StreamTotals;
import io.argus.protocol.v1.Welcome;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.AttributeKey;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Where agents publish what they record: an argus.v1 server that accepts {@code EventBatch}es,
 * after a {@code Hello} (with a valid token when the coordinator has tokens),
 * stores them (idempotently) and answers {@code EventAck} with the batch id once they are durable,
 * naming for each stream whose checkpoint the batch carried the checkpoint now stored (which may be
 * an earlier one: see {@link #ack}).
 * An agent keeps a batch until it is acknowledged, so nothing is lost when a coordinator dies
 * between receiving and storing. Database work runs on its own thread, never on the event loop.
 */
public final class EventServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EventServer.class);
    /** Largest event batch (thumbnails included), in bytes. */
    static final int MAX_BATCH_BYTES = 8 * 1024 * 1024;

    private final EventLoopGroup group = Transport.group(1);
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "argus-event-writer");
        t.setDaemon(true);
        return t;
    });
    private final Channel channel;
    private final Counter stored;
    private final Counter duplicates;
    private final Counter unauthenticated;
    private final Counter fencedEvents;
    private final Counter fencedCheckpoints;
    private final EpochFence fence;
    private final RoleTokens tokens;
    private volatile NewEvents newEvents = NewEvents.NONE;

    /** The client id an agent gave in its {@code Hello} on this connection. */
    private static final AttributeKey<String> PEER = AttributeKey.valueOf("argus.peer");

    /**
     * @param tokens   tokens an agent must present in its {@code Hello} (the coordinator's
     *                 {@code --token-file}; agents send their {@code --coordinator-token-file});
     *                 empty accepts any agent, as on a loopback development cluster
     * @param linkLost told the client id of every connection that said {@code Hello} when it
     *                 closes (on the event loop; must not block): the crash detector's cue
     */
    public EventServer(String bindHost, int port, String coordinatorId, EventStore store, MeterRegistry metrics,
                       SslContext ssl, RoleTokens tokens, Consumer<String> linkLost)
            throws InterruptedException {
        this(bindHost, port, coordinatorId, store, metrics, ssl, tokens, linkLost, new EpochFence(s -> 0L));
    }

    /** @param fence drops what agents produced under an ownership epoch the stream has left */
    public EventServer(String bindHost, int port, String coordinatorId, EventStore store, MeterRegistry metrics,
                       @Nullable SslContext ssl, RoleTokens tokens, Consumer<String> linkLost,
                       EpochFence fence) throws InterruptedException {
        this.tokens = tokens;
        this.fence = fence;
        this.fencedEvents = Counter.builder("argus.coordinator.events.fenced")
                .description("events dropped because their agent's ownership epoch is older than the stream's").register(metrics);
        this.fencedCheckpoints = Counter.builder("argus.coordinator.checkpoints.fenced")
                .description("checkpoints dropped because their agent's ownership epoch is older than the stream's").register(metrics);
        this.unauthenticated = Counter.builder("argus.coordinator.events.unauthenticated")
                .description("event connections refused for a missing or wrong token").register(metrics);
        this.stored = Counter.builder("argus.coordinator.events.stored").register(metrics);
        this.duplicates = Counter.builder("argus.coordinator.events.duplicates").register(metrics);
        this.channel = new ServerBootstrap().group(group).channel(Transport.serverSocketChannel(group))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (ssl != null) {
                            ch.pipeline().addLast("tls", ssl.newHandler(ch.alloc()));
                        }
                        ch.pipeline().addLast(new IdleStateHandler(30, 0, 0, TimeUnit.SECONDS));
                        FrameCodec.install(ch.pipeline(), MAX_BATCH_BYTES);
                        ch.pipeline().addLast(new Handler(coordinatorId, store, linkLost));
                    }
                }).bind(bindHost, port).sync().channel();
    }

    /** Whom to tell of newly stored events (the MQTT publisher); default {@link NewEvents#NONE}. */
    public void onNewEvents(NewEvents listener) {
        this.newEvents = listener == null ? NewEvents.NONE : listener;
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    private final class Handler extends SimpleChannelInboundHandler<Object> {
        private final String id;
        private final EventStore store;
        private final Consumer<String> linkLost;

        Handler(String id, EventStore store, Consumer<String> linkLost) {
            this.id = id;
            this.store = store;
            this.linkLost = linkLost;
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            String peer = ctx.channel().attr(PEER).get();
            if (peer != null && !peer.isEmpty()) {
                linkLost.accept(peer);
            }
            super.channelInactive(ctx);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof Envelope e)) {
                ctx.writeAndFlush(Envelopes.error(Code.BAD_REQUEST, "malformed message", false));
                return;
            }
            boolean greeted = ctx.channel().attr(PEER).get() != null;
            if (e.getBodyCase() != Envelope.BodyCase.HELLO && !greeted) {
                // nothing is stored or served before a (valid) Hello: a stranger cannot forge counts
                reject(ctx, Code.BAD_REQUEST, "expected Hello first, got " + e.getBodyCase());
                return;
            }
            switch (e.getBodyCase()) {
                case HELLO -> {
                    var grant = tokens.grant(e.getHello().getAuthToken());
                    if (grant.isEmpty()) {
                        unauthenticated.increment();
                        reject(ctx, Code.UNAUTHENTICATED, "missing or invalid token");
                        return;
                    }
                    if (!grant.get().maySend()) {
                        // a viewer may read counts over HTTP, never write them
                        unauthenticated.increment();
                        reject(ctx, Code.PERMISSION_DENIED, "a viewer token may not publish events");
                        return;
                    }
                    ctx.channel().attr(PEER).set(e.getHello().getClientId());
                    ctx.writeAndFlush(Envelope.newBuilder().setWelcome(Welcome.newBuilder()
                        .setProtocolVersion(ProtocolConstants.VERSION).setAgentId("coordinator-" + id)
                        .setInitialCredits(0).setHeartbeatIntervalMs(ProtocolConstants.DEFAULT_HEARTBEAT_INTERVAL_MS))
                        .build());
                }
                case PING -> ctx.writeAndFlush(Envelopes.pong(e.getPing()));
                case EVENT_BATCH -> {
                    EventBatch b = e.getEventBatch();
                    writer.execute(() -> {
                        try {
                            EpochFence.Admitted in = fence.admit(b);
                            NewEvents listener = newEvents;
                            int added;
                            if (listener.wanted()) {
                                List<io.argus.protocol.v1.Event> fresh = store.recordNew(in.events());
                                added = fresh.size();
                                listener.stored(fresh);
                            } else {
                                added = store.record(in.events());
                            }
                            stored.increment(added);
                            duplicates.increment(in.events().size() - added);
                            fencedEvents.increment(in.fencedEvents());
                            fencedCheckpoints.increment(in.fencedTotals());
                            if (in.fencedEvents() + in.fencedTotals() > 0) {
                                log.info("dropped {} event(s) and {} checkpoint(s) of a stale ownership epoch from {}",
                                        in.fencedEvents(), in.fencedTotals(), ctx.channel().attr(PEER).get());
                            }
                            for (StreamTotals t : in.totals()) {
                                if (!t.getState().isEmpty()) {
                                    store.saveState(t.getStreamId(), t.getState().toByteArray(), t.getRun(), t.getEpoch(),
                                            t.getHasLastSequence() ? t.getLastSequence() : -1, t.getTimeUs(), "");
                                }
                            }
                            ctx.writeAndFlush(Envelope.newBuilder().setEventAck(ack(b, store)).build());
                        } catch (RuntimeException ex) {
                            // no ack: the agent keeps the batch and sends it again
                            log.warn("could not store event batch {}: {}", b.getBatchId(), ex.getMessage());
                        }
                    });
                }
                default -> {
                }
            }
        }

        private void reject(ChannelHandlerContext ctx, Code code, String message) {
            ctx.writeAndFlush(Envelopes.error(code, message, true))
                    .addListener(ChannelFutureListener.CLOSE);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof IdleStateEvent) {
                ctx.close();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("event connection failed: {}", cause.toString());
            ctx.close();
        }
    }

    /**
     * The acknowledgement of a stored batch: for each stream whose checkpoint it carried (fenced
     * or not), the checkpoint now held, which is not the batch's own when that one was dropped or
     * ranked below the stored one. The agent tells its clients only what is held.
     */
    static EventAck ack(EventBatch b, EventStore store) {
        EventAck.Builder ack = EventAck.newBuilder().setBatchId(b.getBatchId());
        java.util.Set<String> streams = new java.util.LinkedHashSet<>();
        for (StreamTotals t : b.getTotalsList()) {
            if (!t.getState().isEmpty()) {
                streams.add(t.getStreamId());
            }
        }
        for (String stream : streams) {
            HeldCheckpoint.Builder h = HeldCheckpoint.newBuilder().setStreamId(stream);
            store.storedCheckpoint(stream).ifPresent(c -> h.setHeld(true).setRun(c.run()).setEpoch(c.epoch())
                    .setLastSequence(Math.max(0, c.lastSequence())).setHasLastSequence(c.lastSequence() >= 0));
            ack.addCheckpoints(h);
        }
        return ack.build();
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
        writer.shutdown();
        try {
            writer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
