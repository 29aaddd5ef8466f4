package io.argus.agent.record;

import org.jspecify.annotations.Nullable;
import io.argus.cluster.CoordinatorEndpoint;
import io.argus.protocol.client.AgentConnection;
import io.argus.protocol.client.ClientOptions;
import io.argus.protocol.client.ConnectionListener;
import io.argus.protocol.v1.Envelope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The {@link CoordinatorLink}'s connection to one coordinator's event port. Kept open even with
 * nothing to send: it carries the heartbeats by which the coordinator learns at once that this
 * process died (its crash detector), and the first event of a quiet stream goes out without a
 * connect. Touched on the link's publisher thread only.
 */
final class CoordinatorConnection {
    private static final Logger log = LoggerFactory.getLogger(CoordinatorConnection.class);
    private final CoordinatorEndpoint endpoint;
    private final ClientOptions options;
    private final EventLinkConfig config;
    /** Pause after the n-th failed connect in a row: firstReconnectMs doubling to maxReconnectMs. */
    private final io.github.resilience4j.core.IntervalFunction reconnect;
    /** The publisher thread: connect outcomes are handled there. */
    private final Executor loop;
    private final ConnectionListener listener;
    private @Nullable CompletableFuture<AgentConnection> conn;
    private long retryAt;
    /** Failed connects in a row. */
    private int failedConnects;
    private boolean warned;

    CoordinatorConnection(CoordinatorEndpoint endpoint, ClientOptions options, EventLinkConfig config, Executor loop,
                          ConnectionListener listener) {
        this.endpoint = endpoint;
        this.options = options;
        this.config = config;
        this.reconnect = io.github.resilience4j.core.IntervalFunction.ofExponentialBackoff(
                config.firstReconnectMs(), 2.0, config.maxReconnectMs());
        this.loop = loop;
        this.listener = listener;
    }

    boolean connected() {
        return conn != null && conn.isDone() && !conn.isCompletedExceptionally() && conn.join().isActive();
    }

    /**
     * Connects unless connected or connecting. A refused or failed connect is retried after
     * {@link EventLinkConfig#firstReconnectMs()} doubling to {@link EventLinkConfig#maxReconnectMs()}
     * (Resilience4j's exponential interval), with one warning per failure streak.
     */
    void ensureConnected() {
        if (connected() || (conn != null && !conn.isDone()) || System.currentTimeMillis() < retryAt) {
            return;
        }
        CompletableFuture<AgentConnection> opening =
                AgentConnection.connect(new InetSocketAddress(endpoint.host(), endpoint.eventPort()), options, listener);
        conn = opening;
        opening.whenComplete((c, err) -> loop.execute(() -> {
            if (err != null) {
                conn = null;
                retryAt = System.currentTimeMillis() + reconnect.apply(++failedConnects);
                if (!warned) {
                    warned = true;
                    log.warn("cannot publish to coordinator {} at {}:{}: {} (retrying every {} s at most)",
                            endpoint.id(), endpoint.host(), endpoint.eventPort(), err.getMessage(),
                            config.maxReconnectMs() / 1000);
                }
            } else {
                if (warned) {
                    log.info("publishing to coordinator {} again", endpoint.id());
                }
                failedConnects = 0;
                warned = false;
            }
        }));
    }

    /** Sends on the open connection ({@link #connected()} first). */
    void write(Envelope e) {
        Objects.requireNonNull(conn, "not connected").join().write(e); // callers check connected() first
    }

    /** The connection closed: the next {@link #ensureConnected()} opens another. */
    void closed() {
        conn = null;
    }

    /** Closes the connection, once it is open if it is still connecting. */
    void close() {
        if (conn != null) {
            conn.thenAccept(AgentConnection::close);
        }
    }
}
