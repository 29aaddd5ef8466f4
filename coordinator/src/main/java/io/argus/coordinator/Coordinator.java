package io.argus.coordinator;

import org.jspecify.annotations.Nullable;
import io.argus.coordinator.assign.AssignmentService;
import io.argus.coordinator.config.ConfigService;
import io.argus.coordinator.http.AgentPool;
import io.argus.coordinator.http.HttpApi;
import io.argus.coordinator.http.HttpGateway;
import io.argus.coordinator.ingest.EpochFence;
import io.argus.coordinator.ingest.EventServer;
import io.argus.coordinator.leader.Leadership;
import io.argus.coordinator.liveness.CrashDetector;
import io.argus.coordinator.store.DiskSpace;
import io.argus.coordinator.store.EventStore;
import io.argus.coordinator.store.JdbcEventStore;
import io.argus.coordinator.store.RetentionSchedule;
import io.argus.protocol.auth.RoleTokens;
import io.argus.cluster.AgentDirectory;
import io.argus.cluster.ClusterJson;
import io.argus.cluster.ClusterView;
import io.argus.cluster.CoordinatorEndpoint;
import io.argus.cluster.ZkClients;
import io.argus.cluster.ZkPaths;
import io.argus.cluster.RegistrationTrust;
import io.argus.cluster.ZkAclAudit;
import io.argus.protocol.net.Transport;
import io.argus.task.image.ImageLimits;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.nodes.PersistentNode;
import org.apache.zookeeper.CreateMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.argus.coordinator.http.ConnectionBudget;
import io.argus.coordinator.http.RateLimits;

import java.nio.file.Files;
import java.time.Clock;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A running coordinator: ZooKeeper client, leader election, assignment loop (while leader), event
 * ingestion and store, HTTP API. Several may run against one cluster; one leads, the others stand
 * by and keep their own copy of the record (agents publish to every coordinator).
 */
public final class Coordinator implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Coordinator.class);

    private final CoordinatorConfig cfg;
    private final CuratorFramework curator;
    private final AgentDirectory agents;
    private final ClusterView view;
    private final Leadership leadership;
    private final EventStore store;
    private final RetentionSchedule retention;
    private final EventServer events;
    private final CrashDetector crashes;
    private final AssignmentService assignments;
    private final EventLoopGroup httpGroup = Transport.group(2);
    private final ExecutorService blocking;
    private final AgentPool pool;
    private final HttpGateway http;
    private final PersistentNode endpoint;
    private final io.argus.coordinator.mqtt.@Nullable MqttFeed mqtt;
    private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    private Coordinator(CoordinatorConfig cfg) throws Exception {
        this.cfg = cfg;
        // bounded queue: past it requests get 503 OVERLOADED (AbortPolicy) instead of an unbounded backlog
        this.blocking = new ThreadPoolExecutor(4, 4, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(cfg.blockingQueue()), r -> {
            Thread t = new Thread(r, "argus-http-blocking");
            t.setDaemon(true);
            return t;
        });
        ZkPaths paths = new ZkPaths(cfg.zkRoot());
        metrics.config().commonTags("coordinator", cfg.id());
        this.curator = ZkClients.newClient(cfg.zkConnect(), cfg.sessionTimeoutMs(), cfg.zkCredentials());
        curator.start();
        if (!curator.blockUntilConnected(cfg.sessionTimeoutMs() * 2, TimeUnit.MILLISECONDS)) {
            curator.close();
            throw new IllegalStateException("cannot reach ZooKeeper at " + cfg.zkConnect());
        }
        if (cfg.zkCredentials() != null) {
            try {
                new ZkAclAudit(curator, cfg.zkCredentials(), paths,
                        ZkAclAudit.DEFAULT_MAX_NODES).secure();
            } catch (Exception e) {
                curator.close();
                throw e;
            }
        }
        RegistrationTrust trust =
                RegistrationTrust.of(curator, cfg.zkCredentials(), paths);
        this.agents = new AgentDirectory(curator, paths, trust).start();
        this.view = new ClusterView(curator, paths, trust).start();
        Gauge.builder("argus.zk.untrusted_registrations", trust,
                        RegistrationTrust::untrustedCount)
                .description("agent and coordinator registrations ignored: others than the cluster could write them")
                .register(metrics);
        // the data directory holds the embedded store; with a shared one it is still where /healthz measures the disk
        Files.createDirectories(cfg.dataDir());
        this.store = JdbcEventStore.open(cfg.dataDir(), metrics, cfg.store());
        SslContext serverTls = cfg.tls() == null ? null : cfg.tls().serverContext();
        this.crashes = new CrashDetector(agents, metrics, cfg.crashProbe());
        this.events = new EventServer(cfg.bindHost(), cfg.eventPort(), cfg.id(), store, metrics, serverTls,
                RoleTokens.of(cfg.tokens()), crashes::linkLost, new EpochFence(view::currentEpoch));
        this.pool = new AgentPool(agents, httpGroup, "gateway-" + cfg.id(), cfg.agentToken(), metrics,
                cfg.tls() == null ? null : cfg.tls().clientContext(), cfg.agentBreaker());
        this.leadership = new Leadership(curator, paths.leaderLatch(), cfg.id());
        ConfigService config = new ConfigService(curator, paths, view);
        HttpApi api = new HttpApi(new HttpApi.Deps(curator, paths, agents, view, config, store, leadership, pool, metrics,
                blocking, cfg.tokens(), new RateLimits(cfg.ratePerSecond(), cfg.rateLimitMaxClients(), cfg.rateLimitIdleMs()),
                cfg.imageTimeoutMs(), ImageLimits.DEFAULT, cfg.healthTimeoutMs(),
                new DiskSpace(cfg.dataDir(), cfg.minFreeDiskBytes()), cfg.images()));
        this.http = new HttpGateway(httpGroup, cfg.bindHost(), cfg.httpPort(), cfg.maxBodyBytes(), api, serverTls,
                new ConnectionBudget(cfg.maxConnections(), cfg.maxConnectionsPerAddress(), metrics), cfg.requestDeadlineMs());
        this.assignments = new AssignmentService(curator, paths, agents, view, leadership, metrics, crashes,
                cfg.assignment());
        CoordinatorEndpoint me = new CoordinatorEndpoint(cfg.id(), cfg.advertiseHost(), http.port(), events.port(),
                cfg.tls() != null, store.storeId());
        this.endpoint = new PersistentNode(curator, CreateMode.EPHEMERAL, false,
                paths.coordinatorEndpoints() + "/" + cfg.id(), ClusterJson.write(me));
        endpoint.start();
        endpoint.waitForInitialCreate(10, TimeUnit.SECONDS);
        assignments.start();
        // publishes only while this coordinator leads: every coordinator stores every event
        this.mqtt = cfg.mqtt().enabled() ? io.argus.coordinator.mqtt.MqttFeed.start(cfg.mqtt(), cfg.id(), cfg.tls(),
                store, view, agents, leadership::acting, metrics) : null;
        if (mqtt != null) {
            events.onNewEvents(mqtt);
        }
        leadership.start();
        boolean shared = cfg.store().url() != null;
        this.retention = new RetentionSchedule(store, cfg.store().retention().interval(), Clock.systemUTC(),
                () -> !shared || leadership.acting());
        metrics.gauge("argus.coordinator.leader", leadership, l -> l.acting() ? 1 : 0);
        metrics.gauge("argus.coordinator.agents", agents, a -> a.agents().size());
        log.info("coordinator {} up: HTTP {}, events {}", cfg.id(), http.port(), events.port());
    }

    public static Coordinator start(CoordinatorConfig cfg) throws Exception {
        return new Coordinator(cfg);
    }

    public int httpPort() {
        return http.port();
    }

    public int eventPort() {
        return events.port();
    }

    public String id() {
        return cfg.id();
    }

    public boolean isLeader() {
        return leadership.acting();
    }

    public EventStore store() {
        return store;
    }

    public ClusterView view() {
        return view;
    }

    public AssignmentService assignments() {
        return assignments;
    }

    @Override
    public void close() {
        // With ZooKeeper unreachable, deleting our nodes would retry for minutes; they expire with
        // the session instead, and the standby's latch wins then.
        ZkClients.cleanup("endpoint close", endpoint::close);
        if (mqtt != null) {
            mqtt.close(); // while still leader: a clean "offline" before the next leader's "online"
        }
        ZkClients.cleanup("leader latch close", leadership::close);
        assignments.close();
        crashes.close();
        http.close();
        pool.close();
        events.close();
        httpGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
        blocking.shutdownNow();
        retention.close();
        store.close();
        view.close();
        try {
            agents.close();
        } catch (Exception e) {
            log.debug("directory close", e);
        }
        curator.close();
        log.info("coordinator {} stopped", cfg.id());
    }
}
