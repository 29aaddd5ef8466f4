package io.argus.client;

import org.jspecify.annotations.Nullable;
import io.argus.cluster.AgentDirectory;
import io.argus.cluster.AgentInfo;
import io.argus.cluster.ClusterView;
import io.argus.protocol.client.AgentConnection;
import io.argus.protocol.client.ClientOptions;
import io.argus.protocol.client.ConnectionListener;
import io.argus.protocol.net.Transport;
import io.argus.protocol.tls.TlsSettings;
import io.argus.protocol.v1.Preview;
import io.argus.protocol.v1.Role;
import io.argus.protocol.v1.Subscribe;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;

import javax.net.ssl.SSLException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Watches a managed stream without sending anything: subscribes, as a viewer, to its results and downscaled
 * previews on whichever agent the coordinator assigned it to, and follows it when it moves. A slow watcher
 * simply misses previews (the agent skips viewers that cannot keep up). The agent accepts the subscription only
 * from a token with the viewer role (or higher).
 *
 * <p>Previews arrive on a Netty thread: {@code onPreview} must hand work off, not do it.
 */
public final class StreamWatcher implements AutoCloseable {
    /** How often the assignment is checked for a move, in ms. */
    public static final long DEFAULT_FOLLOW_INTERVAL_MS = 500;
    /** Previews are downscaled by the agent to at most this width, in pixels. */
    public static final int DEFAULT_PREVIEW_MAX_WIDTH = 640;
    /** JPEG quality of previews, 1 to 100. */
    public static final int DEFAULT_PREVIEW_QUALITY = 70;
    /** Connect plus handshake, in ms; after that the next follow tick tries again. */
    public static final long DEFAULT_CONNECT_TIMEOUT_MS = 3_000;

    private final String stream;
    private final ClusterView view;
    private final AgentDirectory directory;
    private final @Nullable SslContext ssl;
    private final String token;
    private final String clientId;
    private final Consumer<Preview> onPreview;
    private final EventLoopGroup group = Transport.group(1);
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "argus-watch");
        t.setDaemon(true);
        return t;
    });
    private volatile @Nullable AgentConnection conn;
    private volatile String agent = "";

    /**
     * @param tls       TLS settings, or null for plaintext
     * @param token     the watcher's token ("" for none)
     * @param clientId  how agents log this watcher
     * @param onPreview called on a Netty thread for each preview
     */
    public StreamWatcher(String stream, ClusterView view, AgentDirectory directory, @Nullable TlsSettings tls, String token,
                         String clientId, Consumer<Preview> onPreview) throws SSLException {
        this.stream = stream;
        this.view = view;
        this.directory = directory;
        this.ssl = tls == null ? null : tls.clientContext();
        this.token = token;
        this.clientId = clientId;
        this.onPreview = onPreview;
        loop.scheduleWithFixedDelay(this::follow, 0, DEFAULT_FOLLOW_INTERVAL_MS, TimeUnit.MILLISECONDS);
    }

    /** The agent watched now, "" before the first connection. */
    public String agent() {
        return agent;
    }

    private void follow() {
        String assigned = view.assignment(stream).map(a -> a.agent()).orElse(null);
        AgentConnection current = conn;
        if (assigned == null || (assigned.equals(agent) && current != null && current.isActive())) {
            return;
        }
        AgentInfo info = directory.agent(assigned).orElse(null);
        if (info == null) {
            return;
        }
        if (current != null) {
            current.close();
        }
        try {
            ClientOptions options = ClientOptions.builder(group).clientId(clientId).role(Role.ROLE_VIEWER)
                    .authToken(token).sslContext(ssl).build();
            AgentConnection c = info.connect(options, new ConnectionListener() {
                @Override
                public void onPreview(AgentConnection from, Preview p) {
                    onPreview.accept(p);
                }
            }).get(DEFAULT_CONNECT_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            c.subscribe(Subscribe.newBuilder().setStreamId(stream).setPreviewMaxWidth(DEFAULT_PREVIEW_MAX_WIDTH)
                    .setPreviewQuality(DEFAULT_PREVIEW_QUALITY).build());
            conn = c;
            agent = assigned;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            conn = null;
        } catch (Exception e) {
            // refused, unreachable or timed out: the next tick tries again, as the assignment may have moved
            conn = null;
        }
    }

    @Override
    public void close() {
        loop.shutdownNow();
        AgentConnection c = conn;
        if (c != null) {
            c.close();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
}
