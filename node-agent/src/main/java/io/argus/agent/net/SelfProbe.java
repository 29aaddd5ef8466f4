package io.argus.agent.net;

import com.google.protobuf.ByteString;
import io.argus.protocol.client.AgentConnection;
import io.argus.protocol.client.ClientOptions;
import io.argus.protocol.client.ConnectionListener;
import io.argus.protocol.v1.FrameRequest;
import io.argus.protocol.v1.FrameResult;
import io.argus.protocol.v1.Image;
import io.argus.protocol.v1.TaskRequest;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.ssl.SslContext;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * Before the agent registers, it connects to its own frame port as a client would and has one
 * {@code noop} frame answered: handshake, codec, admission, a lane, the result path.
 *
 * <p>Why: it proves the port serves before any client is told about it, and it takes the cold
 * start of that path (class loading and the interpreter, ~0.1 s on two cores) out of the first
 * real connection, which after a crash is a failover that someone is waiting for.
 *
 * <p>Bounded by {@link #TIMEOUT_MS}; a probe that fails or times out is logged and the agent
 * registers anyway (with TLS, for example, the agent's own client certificate may not be one its
 * server accepts from 127.0.0.1). The probe's frame shows in the metrics as one {@code noop}.
 */
public final class SelfProbe {
    private static final Logger log = LoggerFactory.getLogger(SelfProbe.class);
    /** Longest the probe may delay the registration. */
    public static final int TIMEOUT_MS = 3_000;

    private SelfProbe() {
    }

    /** Returns true when the agent answered its own frame. */
    public static boolean run(int port, String token, @Nullable SslContext tls, ByteString jpeg) {
        long t0 = System.nanoTime();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        AgentConnection conn = null;
        try {
            ClientOptions options = ClientOptions.builder(group).clientId("argus-self-probe")
                    .authToken(token == null ? "" : token).sslContext(tls)
                    .connectTimeoutMs(TIMEOUT_MS).handshakeTimeoutMs(TIMEOUT_MS).build();
            conn = AgentConnection.connect(new InetSocketAddress("127.0.0.1", port), options, ConnectionListener.NONE)
                    .get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            FrameResult r = conn.send(FrameRequest.newBuilder().setStreamId("argus-self-probe").setSequence(1)
                            .setImage(Image.newBuilder().setData(jpeg))
                            .addTasks(TaskRequest.newBuilder().setName("noop")).build())
                    .get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            log.info("self-probe: port {} answered a frame ({} tasks) in {} ms", port, r.getTasksCount(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            log.warn("self-probe of port {} failed ({}); registering anyway", port, e.toString());
            return false;
        } finally {
            if (conn != null) {
                conn.close();
            }
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }
}
