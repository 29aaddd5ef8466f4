package io.argus.protocol.client;

import io.argus.protocol.Envelopes;
import io.argus.protocol.ProtocolConstants;
import io.argus.protocol.codec.FrameCodec;
import io.argus.protocol.net.Transport;
import io.argus.protocol.v1.Code;
import io.argus.protocol.v1.Envelope;
import io.argus.protocol.v1.FrameRequest;
import io.argus.protocol.v1.FrameResult;
import io.argus.protocol.v1.Hello;
import io.argus.protocol.v1.StreamControl;
import io.argus.protocol.v1.Subscribe;
import io.argus.protocol.v1.Welcome;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import org.jspecify.annotations.Nullable;

import java.io.Closeable;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One client connection to one agent: handshake, credit-based flow control, heartbeats, and
 * futures for the frames in flight.
 *
 * <p>Every frame sent through {@link #send(FrameRequest)} completes exactly once: with its
 * {@code FrameResult}, with an {@link AgentErrorException} carrying the agent's typed error, or
 * with a {@link ConnectionLostException} when the connection closes or misses heartbeats first.
 * The caller decides whether to resend elsewhere.
 */
public final class AgentConnection implements Closeable {
    private final Channel channel;
    private final ClientOptions options;
    private final ConnectionListener listener;
    private final Map<FrameKey, CompletableFuture<FrameResult>> pending = new ConcurrentHashMap<>();
    private final AtomicInteger credits = new AtomicInteger();
    private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();
    private volatile @Nullable Welcome welcome;
    private volatile boolean draining;
    private volatile long lastRttMicros = -1;

    record FrameKey(String streamId, long sequence) {
    }

    private AgentConnection(Channel channel, ClientOptions options, ConnectionListener listener) {
        this.channel = channel;
        this.options = options;
        this.listener = listener;
    }

    /**
     * Connects and completes the handshake. The future fails with {@link AgentErrorException} when
     * the agent refuses (wrong version or credentials), or with a connection error or timeout.
     */
    public static CompletableFuture<AgentConnection> connect(InetSocketAddress address, ClientOptions options,
                                                             ConnectionListener listener) {
        return connect(address, options, listener, null);
    }

    /**
     * Connects to a registered agent at the address it registered. With TLS its certificate must name that
     * host (endpoint identification, as for every connection) and also carry the agent's id as its common
     * name or a DNS name ({@link PeerNames}): certificates of a cluster usually share the host list, and
     * all of them name loopback, so the host alone does not tell one node from another. The Hello, with
     * the token, goes out only after both checks; a mismatch fails the future with an
     * {@link javax.net.ssl.SSLPeerUnverifiedException}.
     */
    public static CompletableFuture<AgentConnection> connect(InetSocketAddress address, String agentId,
                                                             ClientOptions options, ConnectionListener listener) {
        return connect(address, options, listener, agentId);
    }

    private static CompletableFuture<AgentConnection> connect(InetSocketAddress address, ClientOptions options,
                                                              ConnectionListener listener, @Nullable String peerName) {
        CompletableFuture<AgentConnection> ready = new CompletableFuture<>();
        Bootstrap b = new Bootstrap()
                .group(options.group())
                .channel(Transport.socketChannel(options.group()))
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, options.connectTimeoutMs())
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ClientChannelInitializer(options, address, ready, listener, peerName));
        InetSocketAddress target = address.isUnresolved()
                ? new InetSocketAddress(address.getHostString(), address.getPort()) : address;
        ChannelFuture cf = b.connect(target);
        cf.addListener(f -> {
            if (!f.isSuccess()) {
                ready.completeExceptionally(f.cause());
            }
        });
        // The handshake deadline covers connect + Hello + Welcome.
        cf.channel().eventLoop().schedule(() -> {
            if (!ready.isDone()) {
                ready.completeExceptionally(new ConnectionLostException(
                        "no Welcome from " + address + " within " + options.handshakeTimeoutMs() + " ms"));
                cf.channel().close();
            }
        }, options.handshakeTimeoutMs(), TimeUnit.MILLISECONDS);
        return ready;
    }

    static AgentConnection create(Channel channel, ClientOptions options, ConnectionListener listener) {
        return new AgentConnection(channel, options, listener);
    }

    Envelope hello() {
        return Envelope.newBuilder().setHello(Hello.newBuilder()
                .setProtocolVersion(ProtocolConstants.VERSION)
                .setClientId(options.clientId())
                .setAuthToken(options.authToken())
                .setRole(options.role())
                .setClientVersion("argus-0.1")).build();
    }

    void welcomed(Welcome w) {
        this.welcome = w;
        credits.set(w.getInitialCredits());
    }

    public @Nullable Welcome welcome() {
        return welcome;
    }

    public String agentId() {
        return welcome == null ? "?" : welcome.getAgentId();
    }

    public boolean isActive() {
        return channel.isActive() && !draining;
    }

    public boolean isDraining() {
        return draining;
    }

    /** Credits left: how many more frames may be sent before more are granted. */
    public int credits() {
        return credits.get();
    }

    public int inFlight() {
        return pending.size();
    }

    /** Round-trip time of the last heartbeat, in microseconds, or -1. */
    public long lastRttMicros() {
        return lastRttMicros;
    }

    public InetSocketAddress remoteAddress() {
        return (InetSocketAddress) channel.remoteAddress();
    }

    /**
     * Sends a frame. Takes one credit; with none left the future fails at once with
     * {@code OVERLOADED} and nothing is sent. A frame whose (stream, sequence) is already in flight
     * on this connection is refused with {@code BAD_REQUEST}.
     */
    public CompletableFuture<FrameResult> send(FrameRequest request) {
        return send(request, null);
    }

    /**
     * As {@link #send(FrameRequest)}, with the request already framed by
     * {@link FrameCodec#encode} (the caller keeps its reference; a view of
     * it is written), so that a frame sent again after a failover is not serialized again.
     */
    public CompletableFuture<FrameResult> send(FrameRequest request, @Nullable ByteBuf encoded) {
        CompletableFuture<FrameResult> f = new CompletableFuture<>();
        if (!channel.isActive()) {
            f.completeExceptionally(new ConnectionLostException("connection to " + agentId() + " is closed"));
            return f;
        }
        // connect() completes only after the agent's welcome, so a connection that can send has one
        Welcome welcomed = Objects.requireNonNull(welcome, "welcome");
        int serialized = request.getSerializedSize();
        if (serialized + 16 > welcomed.getLimits().getMaxFrameBytes()) {
            f.completeExceptionally(new AgentErrorException(Code.TOO_LARGE,
                    "frame of " + serialized + " bytes exceeds the agent's limit of "
                            + welcomed.getLimits().getMaxFrameBytes()));
            return f;
        }
        if (credits.getAndDecrement() <= 0) {
            credits.incrementAndGet();
            f.completeExceptionally(new AgentErrorException(Code.OVERLOADED, "no credit left"));
            return f;
        }
        FrameKey key = new FrameKey(request.getStreamId(), request.getSequence());
        if (pending.putIfAbsent(key, f) != null) {
            credits.incrementAndGet();
            f.completeExceptionally(new AgentErrorException(Code.BAD_REQUEST, "frame already in flight: " + key));
            return f;
        }
        // serialized here, on the caller's thread, straight into a direct buffer: the event loop
        // only writes it (a raw frame is 0.9 MB of copying that would otherwise hold up every
        // other connection on that loop)
        ByteBuf frame = encoded != null ? encoded.retainedDuplicate()
                : FrameCodec.encode(channel.alloc(),
                        Envelope.newBuilder().setFrameRequest(request).build());
        channel.writeAndFlush(frame).addListener(w -> {
            if (!w.isSuccess()) {
                failPending(key, new ConnectionLostException("write failed: " + w.cause()));
            }
        });
        if (!channel.isActive()) {
            // closed between the check and the put: channelInactive may already have swept
            failPending(key, new ConnectionLostException("connection to " + agentId() + " closed"));
        }
        return f;
    }

    public void control(StreamControl control) {
        channel.writeAndFlush(Envelope.newBuilder().setStreamControl(control).build());
    }

    public void subscribe(Subscribe subscribe) {
        channel.writeAndFlush(Envelope.newBuilder().setSubscribe(subscribe).build());
    }

    public void write(Envelope envelope) {
        channel.writeAndFlush(envelope);
    }

    public CompletableFuture<Void> closeFuture() {
        return closeFuture;
    }

    @Override
    public void close() {
        channel.close();
    }

    // ---- called by ClientHandler on the event loop ----

    void onResult(FrameResult result) {
        CompletableFuture<FrameResult> f = pending.remove(new FrameKey(result.getStreamId(), result.getSequence()));
        if (f == null) {
            listener.onPushedResult(this, result);
            return;
        }
        credits.incrementAndGet();
        f.complete(result);
        listener.onCredit(this);
    }

    void onFrameError(io.argus.protocol.v1.Error err) {
        CompletableFuture<FrameResult> f = pending.remove(new FrameKey(err.getStreamId(), err.getSequence()));
        if (f != null) {
            credits.incrementAndGet();
            f.completeExceptionally(err.getCode() == Code.OUT_OF_ORDER
                    ? new OutOfOrderException(err.getMessage(), err.getExpectedSequence(), err.getHasExpectedSequence())
                    : new AgentErrorException(err.getCode(), err.getMessage()));
            listener.onCredit(this);
        }
    }

    void onCredit(int frames) {
        credits.addAndGet(frames);
        listener.onCredit(this);
    }

    void onPong(long pingSentMicros) {
        lastRttMicros = Envelopes.nowMicros() - pingSentMicros;
    }

    void onGoodbye(String reason) {
        draining = true;
        listener.onGoodbye(this, reason);
    }

    ConnectionListener listener() {
        return listener;
    }

    void onClosed(@Nullable Throwable cause) {
        String why = cause == null ? "connection to " + agentId() + " closed" : cause.getMessage();
        List<FrameKey> keys = new ArrayList<>(pending.keySet());
        for (FrameKey k : keys) {
            failPending(k, new ConnectionLostException(why));
        }
        if (closeFuture.complete(null)) {
            listener.onClosed(this, cause);
        }
    }

    private void failPending(FrameKey key, Throwable cause) {
        CompletableFuture<FrameResult> f = pending.remove(key);
        if (f != null) {
            f.completeExceptionally(cause);
        }
    }
}
