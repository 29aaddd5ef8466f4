package io.argus.protocol.client;

import io.argus.protocol.Envelopes;
import io.argus.protocol.ProtocolConstants;
import io.argus.protocol.codec.MalformedEnvelope;
import io.argus.protocol.codec.OversizedFrame;
import io.argus.protocol.v1.Code;
import io.argus.protocol.v1.Envelope;
import io.argus.protocol.v1.Error;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLPeerUnverifiedException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Client side of the conversation: sends Hello, waits for Welcome, then routes results, errors,
 * credits and heartbeats to its {@link AgentConnection}. Pings when it has written nothing for the
 * heartbeat interval; closes when it has read nothing for the heartbeat timeout.
 */
final class ClientHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ClientHandler.class);
    private final AgentConnection connection;
    private final CompletableFuture<AgentConnection> ready;
    private final AtomicLong nonces = new AtomicLong();
    private @Nullable Throwable closeCause;
    /** With TLS: the name the agent's certificate must carry (its registered id), or null for none. */
    private final @Nullable String peerName;
    private boolean helloSent;

    ClientHandler(AgentConnection connection, CompletableFuture<AgentConnection> ready, @Nullable String peerName) {
        this.connection = connection;
        this.ready = ready;
        this.peerName = peerName;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        // with TLS the Hello (and the token in it) waits for the handshake and the certificate's name check
        if (ctx.pipeline().get(SslHandler.class) == null) {
            sendHello(ctx);
        }
        ctx.fireChannelActive();
    }

    private void sendHello(ChannelHandlerContext ctx) {
        helloSent = true;
        ctx.writeAndFlush(connection.hello());
    }

    private void handshaken(ChannelHandlerContext ctx, SslHandshakeCompletionEvent done) {
        if (!done.isSuccess()) {
            return; // the SslHandler reports the failure through exceptionCaught and closes
        }
        if (peerName != null) {
            try {
                Certificate[] chain = ctx.pipeline().get(SslHandler.class).engine().getSession()
                        .getPeerCertificates();
                if (!(chain[0] instanceof X509Certificate cert) || !PeerNames.names(cert, peerName)) {
                    fail(ctx, new SSLPeerUnverifiedException("the certificate of " + ctx.channel().remoteAddress()
                            + " (" + (chain[0] instanceof X509Certificate c ? c.getSubjectX500Principal().getName() : "?")
                            + ") does not name the agent registered there, '" + peerName + "'"));
                    return;
                }
            } catch (SSLPeerUnverifiedException e) {
                fail(ctx, e);
                return;
            }
        }
        sendHello(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof Envelope e) {
                onEnvelope(ctx, e);
            } else if (msg instanceof OversizedFrame o) {
                log.warn("agent {} sent a frame of {} bytes, over our limit of {}", connection.agentId(),
                        o.declaredLength(), o.limit());
            } else if (msg instanceof MalformedEnvelope m) {
                log.warn("agent {} sent a malformed envelope: {}", connection.agentId(), m.reason());
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onEnvelope(ChannelHandlerContext ctx, Envelope e) {
        switch (e.getBodyCase()) {
            case WELCOME -> {
                if (e.getWelcome().getProtocolVersion() != ProtocolConstants.VERSION) {
                    fail(ctx, new AgentErrorException(Code.VERSION_MISMATCH,
                            "agent speaks version " + e.getWelcome().getProtocolVersion()));
                    return;
                }
                connection.welcomed(e.getWelcome());
                if (!ready.complete(connection)) {
                    ctx.close(); // handshake already timed out
                }
            }
            case FRAME_RESULT -> connection.onResult(e.getFrameResult());
            case ERROR -> onError(ctx, e.getError());
            case CREDIT -> connection.onCredit(e.getCredit().getFrames());
            case PING -> ctx.writeAndFlush(Envelopes.pong(e.getPing()));
            case PONG -> connection.onPong(e.getPong().getPingSentTimeUs());
            case PREVIEW -> connection.listener().onPreview(connection, e.getPreview());
            case GOODBYE -> connection.onGoodbye(e.getGoodbye().getReason());
            case STATE -> connection.listener().onState(connection, e.getState());
            case EVENT_ACK -> connection.listener().onEventAck(connection, e.getEventAck());
            default -> log.debug("ignoring {} from agent", e.getBodyCase());
        }
    }

    private void onError(ChannelHandlerContext ctx, Error err) {
        if (err.getHasSequence()) {
            connection.onFrameError(err);
            return;
        }
        AgentErrorException ex = new AgentErrorException(err.getCode(), err.getMessage());
        if (!ready.isDone()) {
            fail(ctx, ex);
            return;
        }
        log.warn("agent {} reported {}", connection.agentId(), ex.getMessage());
        if (err.getFatal()) {
            closeCause = ex;
            ctx.close();
        } else {
            connection.listener().onError(connection, ex);
        }
    }

    private void fail(ChannelHandlerContext ctx, Throwable cause) {
        closeCause = cause;
        ready.completeExceptionally(cause);
        ctx.close();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent done) {
            handshaken(ctx, done);
            ctx.fireUserEventTriggered(evt);
            return;
        }
        if (evt instanceof IdleStateEvent idle) {
            if (idle.state() == IdleState.WRITER_IDLE) {
                if (!helloSent) {
                    return; // nothing before the Hello
                }
                ctx.writeAndFlush(Envelopes.ping(nonces.incrementAndGet()));
            } else if (idle.state() == IdleState.READER_IDLE) {
                closeCause = new ConnectionLostException("agent " + connection.agentId()
                        + " silent past the heartbeat timeout");
                ctx.close();
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!ready.isDone()) {
            ready.completeExceptionally(closeCause != null ? closeCause
                    : new ConnectionLostException("closed during handshake"));
        }
        connection.onClosed(closeCause);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("connection to agent {} failed", connection.agentId(), cause);
        closeCause = new ConnectionLostException(String.valueOf(cause.getMessage()));
        ctx.close();
    }
}
