package io.argus.client;

import io.argus.protocol.client.AgentBreakerConfig;
import io.argus.protocol.client.ClientOptions;
import io.argus.protocol.net.Transport;
import io.argus.protocol.tls.TlsSettings;
import io.argus.protocol.v1.Role;
import io.argus.cluster.AgentDirectory;
import io.argus.cluster.AgentInfo;
import io.argus.cluster.ClusterView;
import io.argus.cluster.ZkClients;
import io.argus.cluster.ZkPaths;
import io.argus.cluster.RegistrationTrust;
import io.argus.cluster.ZkCredentials;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.netty.channel.EventLoopGroup;
import org.apache.curator.framework.CuratorFramework;
import org.jspecify.annotations.Nullable;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import javax.net.ssl.SSLException;

/**
 * The streaming client library shared by {@code analyze}, the console and the load generator:
 * finds agents in ZooKeeper, opens {@link StreamSession}s, and owns the threads they use (two
 * Netty event loops for I/O, one control thread for session bookkeeping and delivery).
 */
public final class ArgusClient implements AutoCloseable {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ArgusClient.class);
    private final CuratorFramework curator;
    private final boolean ownsCurator;
    private final ZkPaths paths;
    private final ClusterView view;
    private final AgentDirectory directory;
    private final StreamRouter router;
    private final EventLoopGroup group = Transport.group(2);
    private final ScheduledThreadPoolExecutor control;
    private final ClientOptions options;
    private final @Nullable TlsSettings tls;
    private final String token;
    private final String clientId;
    /** Sessions opened and not yet closed: {@link #close()} closes them first. */
    private final java.util.Set<StreamSession> sessions = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /**
     * One breaker per agent, shared by every stream of this client, configured as the gateway's
     * ({@link AgentBreakerConfig#DEFAULT}): an agent that fails half of
     * at least 5 of its last 20 frames (INTERNAL, TIMEOUT, UNAVAILABLE, lost connection; not the
     * client's own bad requests, not load shedding) gets no frames for 5 s, then 3 trial frames.
     */
    private final CircuitBreakerRegistry breakers =
            AgentBreakerConfig.DEFAULT.registry();

    private ArgusClient(CuratorFramework curator, boolean ownsCurator, ZkPaths paths,
                        Function<AgentDirectory, StreamRouter> routerFactory, String clientId, String token,
                        @Nullable TlsSettings tls, @Nullable ZkCredentials zkCredentials) throws Exception {
        this.curator = curator;
        this.tls = tls;
        this.token = token == null ? "" : token;
        this.clientId = clientId;
        this.ownsCurator = ownsCurator;
        this.paths = paths;
        // with the cluster's credentials, only agents and coordinators the cluster registered get this client's token
        RegistrationTrust trust =
                RegistrationTrust.of(curator, zkCredentials, paths);
        this.directory = new AgentDirectory(curator, paths, trust).start();
        this.view = new ClusterView(curator, paths, trust).start();
        this.router = routerFactory.apply(directory);
        this.control = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "argus-client-control");
            t.setDaemon(true);
            return t;
        });
        control.setRemoveOnCancelPolicy(true);
        this.options = options(clientId, Role.ROLE_CLIENT).build();
    }

    /**
     * Options for this client's own extra connections (viewers, previews): its event loop and its
     * TLS settings, so that every connection of a console is encrypted alike.
     */
    public ClientOptions.Builder options(String clientId, Role role) {
        try {
            return ClientOptions.builder(group).clientId(clientId).role(role).authToken(token)
                    .sslContext(tls == null ? null : tls.clientContext());
        } catch (SSLException e) {
            throw new IllegalArgumentException("cannot load TLS files " + tls + ": " + e.getMessage(), e);
        }
    }

    /** Token this client presents to agents and coordinators ("" for none). */
    public String token() {
        return token;
    }

    /** TLS settings of this client, or null for plaintext. */
    public @Nullable TlsSettings tls() {
        return tls;
    }

    /** Connects to a cluster's ZooKeeper and routes streams by rendezvous hashing over live agents. */
    public static ArgusClient connect(String zkConnect, String clientId) throws Exception {
        return connect(zkConnect, clientId, "", null);
    }

    /** As {@link #connect(String, String)}, with an agent token and TLS (null for plaintext). */
    public static ArgusClient connect(String zkConnect, String clientId, String token, @Nullable TlsSettings tls) throws Exception {
        return connect(zkConnect, clientId, token, tls, null);
    }

    /**
     * As above, authenticating to ZooKeeper with the cluster's credentials (null: anonymous). A cluster
     * that requires authentication (the embedded default) answers nothing without them, and with them
     * the client believes only registrations the cluster wrote.
     */
    public static ArgusClient connect(String zkConnect, String clientId, String token, @Nullable TlsSettings tls,
                                      @Nullable ZkCredentials zkCredentials) throws Exception {
        CuratorFramework c = ZkClients.newClient(zkConnect, ZkClients.DEFAULT_SESSION_TIMEOUT_MS, zkCredentials);
        c.start();
        try {
            return connect(c, true, ZkPaths.defaults(), clientId, token, tls, zkCredentials);
        } catch (Exception e) {
            c.close();
            throw e;
        }
    }

    /** Follows the coordinator's assignments, falling back to rendezvous hashing (see {@link AssignmentRouter}). */
    static ArgusClient connect(CuratorFramework c, boolean owns, ZkPaths paths, String clientId, String token)
            throws Exception {
        return connect(c, owns, paths, clientId, token, null);
    }

    static ArgusClient connect(CuratorFramework c, boolean owns, ZkPaths paths, String clientId, String token,
                               @Nullable TlsSettings tls) throws Exception {
        return connect(c, owns, paths, clientId, token, tls, null);
    }

    static ArgusClient connect(CuratorFramework c, boolean owns, ZkPaths paths, String clientId, String token,
                               @Nullable TlsSettings tls, @Nullable ZkCredentials zkCredentials) throws Exception {
        ArgusClient[] self = new ArgusClient[1];
        ArgusClient client = new ArgusClient(c, owns, paths, dir -> new LazyRouter(self), clientId, token, tls,
                zkCredentials);
        self[0] = client;
        return client;
    }

    /** The assignment router needs the client's cluster view, which exists only once the client does. */
    private record LazyRouter(ArgusClient[] self) implements StreamRouter {
        private StreamRouter delegate() {
            return new AssignmentRouter(self[0].directory, self[0].view);
        }

        @Override
        public List<AgentInfo> route(String s, Collection<String> t) {
            return delegate().route(s, t);
        }

        @Override
        public Optional<String> preferred(String s) {
            return delegate().preferred(s);
        }

        @Override
        public void addListener(Runnable r) {
            self[0].directory.addListener(r);
            self[0].view.addListener(r);
        }

        @Override
        public void removeListener(Runnable r) {
            self[0].directory.removeListener(r);
            self[0].view.removeListener(r);
        }
    }

    /** With a router of the caller's choosing (e.g. one that follows the coordinator's assignments). */
    public static ArgusClient connect(CuratorFramework curator, ZkPaths paths,
                                      Function<AgentDirectory, StreamRouter> router, String clientId, String token)
            throws Exception {
        return new ArgusClient(curator, false, paths, router, clientId, token, null, null);
    }

    public StreamSession open(StreamSpec spec, ResultListener listener) {
        StreamSession session = new StreamSession(this, spec, listener);
        sessions.add(session);
        return session;
    }

    public AgentDirectory directory() {
        return directory;
    }

    public ClusterView view() {
        return view;
    }

    public ZkPaths paths() {
        return paths;
    }

    String clientId() {
        return options.clientId();
    }

    public CuratorFramework curator() {
        return curator;
    }

    StreamRouter router() {
        return router;
    }

    ScheduledExecutorService control() {
        return control;
    }

    /** The circuit breaker this client keeps for an agent. */
    public CircuitBreaker breaker(String agentId) {
        return breakers.circuitBreaker(agentId);
    }

    /** Options for a direct connection to an agent, with this client's id, token and TLS. */
    public ClientOptions connectionOptions() {
        return options;
    }

    /** Waits until at least {@code n} agents are live; returns them. */
    public List<AgentInfo> awaitAgents(int n, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<AgentInfo> agents = directory.agents();
            if (agents.size() >= n || System.nanoTime() > deadline) {
                return agents;
            }
            Thread.sleep(50);
        }
    }

    /** A session closed itself: the client no longer closes it. */
    void closed(StreamSession session) {
        sessions.remove(session);
    }

    /**
     * Closes every session still open, lets their close run on the control thread (it frees the
     * frames they hold for replay), then stops. The barrier matters: a session closed just before
     * the client queues its close behind other work, and an executor already shutting down refuses
     * what that close schedules (the connection's delayed close), which used to abandon the
     * session's frames unreleased.
     */
    @Override
    public void close() throws Exception {
        for (StreamSession s : List.copyOf(sessions)) {
            s.close();
        }
        try {
            control.submit(() -> { }).get(2, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException
                 | java.util.concurrent.RejectedExecutionException e) {
            log.warn("client {}: sessions did not finish closing before shutdown ({})", clientId, e.toString());
        }
        control.shutdown();
        control.awaitTermination(2, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
        view.close();
        directory.close();
        if (ownsCurator) {
            curator.close();
        }
    }
}
