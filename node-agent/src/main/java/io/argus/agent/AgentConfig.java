package io.argus.agent;

import io.argus.agent.managed.ManagedRetryConfig;
import io.argus.agent.record.EventLinkConfig;
import io.argus.agent.state.CheckpointConfig;
import io.argus.protocol.ProtocolConstants;
import io.argus.cluster.BindAddress;
import io.argus.cluster.ZkClients;
import io.argus.cluster.ZkCredentials;
import io.argus.cluster.ZkPaths;
import io.argus.protocol.tls.TlsSettings;
import io.argus.protocol.util.SettingRange;
import org.jspecify.annotations.Nullable;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * Immutable configuration of a node agent. Build with {@link #builder()}; every default is
 * documented on its builder method, with what happens when a timeout expires.
 *
 * <p>Its length is one documented {@code DEFAULT_*} constant, builder method and range check per
 * setting; there is no logic here to split out.
 */
public final class AgentConfig {
    /**
     * Streams one viewer connection may follow: a wall of 64 cameras is a large console; each
     * subscription costs a map entry and a preview encode per frame, so the bound keeps a hostile
     * connection from growing the heap (1.4 M unbounded subscriptions exhausted it).
     */
    public static final int DEFAULT_MAX_SUBSCRIPTIONS_PER_CONNECTION = 64;

    /**
     * Processing time one task may spend on one frame, checked between its stages
     * ({@link io.argus.agent.task.TaskBudget}); a task over it answers {@code TIMEOUT} in its
     * result. 8 s: twice the slowest stage a frame within the pixel budgets has (a HOG search of a
     * whole 4K frame, the heavy tasks' largest: 4.05 s on one core of the 2-core reference
     * machine), and under the 10 s frame deadline. A single stage is not interrupted: the pixel
     * budget ({@link io.argus.agent.task.VisionTask#HEAVY_TASK_MAX_PIXELS}) bounds it.
     */
    public static final int DEFAULT_TASK_BUDGET_MS = 8_000;
    /**
     * Time past the task budget after which a worker still busy on one job is given up as stuck
     * ({@link io.argus.agent.exec.StuckWorkerWatchdog}): its frame is answered {@code TIMEOUT}, the
     * worker is interrupted and abandoned, and a fresh one takes its place. 10 s: longer than any
     * single stage of a frame within the pixel budgets (4.05 s measured), so only a worker that
     * truly hangs (in native code) is replaced, 18 s after its job started by default.
     */
    public static final int DEFAULT_STUCK_WORKER_GRACE_MS = 10_000;
    /**
     * Stuck workers the agent replaces while they are still alive. A stuck thread cannot be killed
     * and keeps its memory; past this many the agent stops adding threads and /healthz reports it
     * degraded, so that it is restarted.
     */
    public static final int DEFAULT_MAX_STUCK_WORKERS = 4;
    /**
     * State one stream may hold on an agent: 256 MiB, a stitch of two 4K cameras (their latest
     * frames, 50 MB, and the feather weights of the panorama) with room to spare; a people stream
     * on 4K holds 6 MB (its background model at half size). Over it the stream's state is dropped
     * and its stateful tasks answer {@code TOO_LARGE}.
     */
    public static final long DEFAULT_MAX_STREAM_STATE_BYTES = 256L << 20;
    /**
     * State all streams may hold on an agent: 1 GiB. The launchers size JavaCPP's
     * {@code maxPhysicalBytes} from it (RELIABILITY.md). At it a new stream evicts the least
     * recently used idle ones, or is refused {@code OVERLOADED}.
     */
    public static final long DEFAULT_MAX_STATE_BYTES = 1L << 30;
    /**
     * How long a stream must have been idle before another stream may evict its state to make room:
     * 30 s, longer than a frame may run (task budget + stuck-worker grace, 18 s), so a stream is
     * never evicted in the middle of its frame, and long enough that a slow stream (a frame every
     * few seconds) is not.
     */
    public static final long DEFAULT_STATE_EVICT_MIN_IDLE_MS = 30_000;
    /** Frame protocol port: 0, any free one (the agent registers the port it got). */
    public static final int DEFAULT_PORT = 0;
    /** Port of /metrics and /healthz: -1, off (0 would pick any free one). */
    public static final int DEFAULT_METRICS_PORT = -1;
    /** Root znode of the cluster: {@link ZkPaths#DEFAULT_ROOT}. */
    public static final String DEFAULT_ZK_ROOT = ZkPaths.DEFAULT_ROOT;
    /** ZooKeeper session timeout: {@link ZkClients#DEFAULT_SESSION_TIMEOUT_MS} (6000 ms), as for coordinators. */
    public static final int DEFAULT_SESSION_TIMEOUT_MS = ZkClients.DEFAULT_SESSION_TIMEOUT_MS;
    /**
     * Machine CPU share (0-1) from which frames over the measured capacity are shed: 0.9, so that
     * shedding starts while the frames admitted are still answered in time.
     */
    public static final double DEFAULT_SHED_CPU_THRESHOLD = 0.9;
    /** Threads OpenCV may use within one call: 1, since the workers are the parallelism. */
    public static final int DEFAULT_OPENCV_THREADS = 1;
    /** Frames one connection may have in flight: 8, enough to hide a LAN round trip at 30 frames/s per stream. */
    public static final int DEFAULT_CREDITS_PER_CONNECTION = 8;

    private final @Nullable String agentId;
    private final @Nullable String zkConnect;
    private final String zkRoot;
    private final int zkSessionTimeoutMs;
    private final String bindHost;
    private final @Nullable String advertiseHost;
    private final @Nullable TlsSettings tls;
    private final @Nullable ZkCredentials zkCredentials;
    private final int port;
    private final int metricsPort;
    private final double shedCpuThreshold;
    private final @Nullable DoubleSupplier cpuSource;
    private final int workers;
    private final int opencvThreads;
    private final boolean warmup;
    private final int maxFrameBytes;
    private final long maxPixels;
    private final int maxDimension;
    private final int creditsPerConnection;
    private final int maxConnections;
    private final int maxStreamsPerConnection;
    private final int maxSubscriptionsPerConnection;
    private final int maxStreams;
    private final int handshakeTimeoutMs;
    private final int idleTimeoutMs;
    private final int frameDeadlineMs;
    private final int taskBudgetMs;
    private final int stuckWorkerGraceMs;
    private final int maxStuckWorkers;
    private final int drainGraceMs;
    private final int loadRefreshMs;
    private final Duration stateIdleTimeout;
    private final long maxStreamStateBytes;
    private final long maxStateBytes;
    private final Duration stateEvictMinIdle;
    private final io.argus.agent.state.CheckpointConfig checkpoint;
    private final EventLinkConfig eventLink;
    private final ManagedRetryConfig managedRetry;
    private final List<String> authTokens;
    private final @Nullable Path modelsDir;
    private final List<String> disabledTasks;
    private final String coordinatorToken;
    private final @Nullable Path personModel;
    private final @Nullable Path textModel;

    private AgentConfig(Builder b) {
        this.agentId = b.agentId;
        this.zkConnect = b.zkConnect;
        this.zkRoot = b.zkRoot;
        this.zkSessionTimeoutMs = b.zkSessionTimeoutMs;
        this.tls = b.tls;
        this.zkCredentials = b.zkCredentials;
        this.bindHost = BindAddress.orDefault(b.bindHost, tls != null);
        if (tls == null) {
            TlsSettings.requireLoopbackForPlaintext(bindHost, "agent");
        }
        this.advertiseHost = b.advertiseHost;
        this.port = b.port;
        this.metricsPort = b.metricsPort;
        this.shedCpuThreshold = b.shedCpuThreshold;
        this.cpuSource = b.cpuSource;
        this.workers = b.workers;
        this.opencvThreads = b.opencvThreads;
        this.warmup = b.warmup;
        this.maxFrameBytes = b.maxFrameBytes;
        this.maxPixels = b.maxPixels;
        this.maxDimension = b.maxDimension;
        this.creditsPerConnection = b.creditsPerConnection;
        this.maxConnections = b.maxConnections;
        this.maxStreamsPerConnection = b.maxStreamsPerConnection;
        this.maxSubscriptionsPerConnection = b.maxSubscriptionsPerConnection;
        this.maxStreams = b.maxStreams;
        this.handshakeTimeoutMs = b.handshakeTimeoutMs;
        this.idleTimeoutMs = b.idleTimeoutMs;
        this.frameDeadlineMs = b.frameDeadlineMs;
        this.taskBudgetMs = b.taskBudgetMs;
        this.stuckWorkerGraceMs = b.stuckWorkerGraceMs;
        this.maxStuckWorkers = b.maxStuckWorkers;
        this.drainGraceMs = b.drainGraceMs;
        this.loadRefreshMs = b.loadRefreshMs;
        this.stateIdleTimeout = b.stateIdleTimeout;
        this.maxStreamStateBytes = b.maxStreamStateBytes;
        this.maxStateBytes = b.maxStateBytes;
        this.stateEvictMinIdle = b.stateEvictMinIdle;
        this.checkpoint = b.checkpoint;
        this.eventLink = b.eventLink;
        this.managedRetry = b.managedRetry;
        this.authTokens = List.copyOf(b.authTokens);
        this.modelsDir = b.modelsDir;
        this.disabledTasks = List.copyOf(b.disabledTasks);
        this.coordinatorToken = b.coordinatorToken;
        this.personModel = b.personModel;
        this.textModel = b.textModel;
        if (agentId != null) {
            ZkPaths.checkName(agentId);
        }
        SettingRange.check("shedCpuThreshold", shedCpuThreshold, 0, 1);
        SettingRange.check("workers", workers, 1, 256);
        SettingRange.check("maxFrameBytes", maxFrameBytes, 1024, Integer.MAX_VALUE);
        SettingRange.check("creditsPerConnection", creditsPerConnection, 1, 1024);
        SettingRange.check("maxSubscriptionsPerConnection", maxSubscriptionsPerConnection, 1, 4096);
        SettingRange.check("port", port, 0, 65535);
        SettingRange.check("maxPixels", maxPixels, 1, Long.MAX_VALUE);
        SettingRange.check("maxDimension", maxDimension, 1, Integer.MAX_VALUE);
        SettingRange.check("taskBudgetMs", taskBudgetMs, 0, 600_000);
        SettingRange.check("stuckWorkerGraceMs", stuckWorkerGraceMs, 10, 600_000);
        SettingRange.check("maxStreamStateBytes", maxStreamStateBytes, 1 << 16, Long.MAX_VALUE);
        SettingRange.check("maxStateBytes", maxStateBytes, maxStreamStateBytes, Long.MAX_VALUE);
        check(stateEvictMinIdle != null && !stateEvictMinIdle.isNegative(), "stateEvictMinIdle must be >= 0: " + stateEvictMinIdle);
        SettingRange.check("maxStuckWorkers", maxStuckWorkers, 0, 256);
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public @Nullable String agentId() {
        return agentId;
    }

    public @Nullable String zkConnect() {
        return zkConnect;
    }

    public String zkRoot() {
        return zkRoot;
    }

    public int zkSessionTimeoutMs() {
        return zkSessionTimeoutMs;
    }

    public String bindHost() {
        return bindHost;
    }

    /** ZooKeeper credentials, or null for an open cluster. */
    public @Nullable ZkCredentials zkCredentials() {
        return zkCredentials;
    }

    /** TLS material, or null for plaintext (loopback only). */
    public @Nullable TlsSettings tls() {
        return tls;
    }

    public @Nullable String advertiseHost() {
        return advertiseHost;
    }

    public int port() {
        return port;
    }

    public double shedCpuThreshold() {
        return shedCpuThreshold;
    }

    /** Null: the machine's smoothed CPU load. */
    public @Nullable DoubleSupplier cpuSource() {
        return cpuSource;
    }

    public int metricsPort() {
        return metricsPort;
    }

    public int workers() {
        return workers;
    }

    public int opencvThreads() {
        return opencvThreads;
    }

    public boolean warmup() {
        return warmup;
    }

    public int maxFrameBytes() {
        return maxFrameBytes;
    }

    public long maxPixels() {
        return maxPixels;
    }

    public int maxDimension() {
        return maxDimension;
    }

    public int creditsPerConnection() {
        return creditsPerConnection;
    }

    public int maxConnections() {
        return maxConnections;
    }

    public int maxStreamsPerConnection() {
        return maxStreamsPerConnection;
    }

    public int maxSubscriptionsPerConnection() {
        return maxSubscriptionsPerConnection;
    }

    public int maxStreams() {
        return maxStreams;
    }

    public int handshakeTimeoutMs() {
        return handshakeTimeoutMs;
    }

    public int idleTimeoutMs() {
        return idleTimeoutMs;
    }

    public int frameDeadlineMs() {
        return frameDeadlineMs;
    }

    public int taskBudgetMs() {
        return taskBudgetMs;
    }

    public int stuckWorkerGraceMs() {
        return stuckWorkerGraceMs;
    }

    public int maxStuckWorkers() {
        return maxStuckWorkers;
    }

    public int drainGraceMs() {
        return drainGraceMs;
    }

    public int loadRefreshMs() {
        return loadRefreshMs;
    }

    public Duration stateIdleTimeout() {
        return stateIdleTimeout;
    }

    public long maxStreamStateBytes() {
        return maxStreamStateBytes;
    }

    public long maxStateBytes() {
        return maxStateBytes;
    }

    public Duration stateEvictMinIdle() {
        return stateEvictMinIdle;
    }

    /** When streams' state is checkpointed to the coordinators. */
    public CheckpointConfig checkpoint() {
        return checkpoint;
    }

    /** How events and checkpoints reach the coordinators, and what is kept for those that are away. */
    public EventLinkConfig eventLink() {
        return eventLink;
    }

    /** How a managed stream's failing source is retried, and when a recording is given up. */
    public ManagedRetryConfig managedRetry() {
        return managedRetry;
    }

    public List<String> authTokens() {
        return authTokens;
    }

    public @Nullable Path modelsDir() {
        return modelsDir;
    }

    public List<String> disabledTasks() {
        return disabledTasks;
    }

    public String coordinatorToken() {
        return coordinatorToken;
    }

    public @Nullable Path personModel() {
        return personModel;
    }

    public @Nullable Path textModel() {
        return textModel;
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.agentId = agentId;
        b.zkConnect = zkConnect;
        b.zkRoot = zkRoot;
        b.zkSessionTimeoutMs = zkSessionTimeoutMs;
        b.bindHost = bindHost;
        b.advertiseHost = advertiseHost;
        b.tls = tls;
        b.zkCredentials = zkCredentials;
        b.port = port;
        b.metricsPort = metricsPort;
        b.shedCpuThreshold = shedCpuThreshold;
        b.cpuSource = cpuSource;
        b.workers = workers;
        b.maxFrameBytes = maxFrameBytes;
        b.maxPixels = maxPixels;
        b.maxDimension = maxDimension;
        b.creditsPerConnection = creditsPerConnection;
        b.maxConnections = maxConnections;
        b.maxStreamsPerConnection = maxStreamsPerConnection;
        b.maxSubscriptionsPerConnection = maxSubscriptionsPerConnection;
        b.maxStreams = maxStreams;
        b.handshakeTimeoutMs = handshakeTimeoutMs;
        b.idleTimeoutMs = idleTimeoutMs;
        b.frameDeadlineMs = frameDeadlineMs;
        b.taskBudgetMs = taskBudgetMs;
        b.stuckWorkerGraceMs = stuckWorkerGraceMs;
        b.maxStuckWorkers = maxStuckWorkers;
        b.drainGraceMs = drainGraceMs;
        b.loadRefreshMs = loadRefreshMs;
        b.stateIdleTimeout = stateIdleTimeout;
        b.maxStreamStateBytes = maxStreamStateBytes;
        b.maxStateBytes = maxStateBytes;
        b.stateEvictMinIdle = stateEvictMinIdle;
        b.checkpoint = checkpoint;
        b.eventLink = eventLink;
        b.managedRetry = managedRetry;
        b.authTokens = authTokens;
        b.modelsDir = modelsDir;
        b.disabledTasks = disabledTasks;
        b.coordinatorToken = coordinatorToken;
        b.personModel = personModel;
        b.textModel = textModel;
        return b;
    }

    public static final class Builder {
        private @Nullable String agentId;
        private @Nullable String zkConnect;
        private String zkRoot = DEFAULT_ZK_ROOT;
        private int zkSessionTimeoutMs = DEFAULT_SESSION_TIMEOUT_MS;
        private @Nullable String bindHost;
        private @Nullable String advertiseHost;
        private @Nullable TlsSettings tls;
        private @Nullable ZkCredentials zkCredentials;
        private int port = DEFAULT_PORT;
        private int metricsPort = DEFAULT_METRICS_PORT;
        private double shedCpuThreshold = DEFAULT_SHED_CPU_THRESHOLD;
        private @Nullable DoubleSupplier cpuSource;
        private int workers = Math.max(1, Runtime.getRuntime().availableProcessors());
        private int opencvThreads = DEFAULT_OPENCV_THREADS;
        private boolean warmup = true;
        private int maxFrameBytes = ProtocolConstants.DEFAULT_MAX_FRAME_BYTES;
        private long maxPixels = ProtocolConstants.DEFAULT_MAX_PIXELS;
        private int maxDimension = ProtocolConstants.DEFAULT_MAX_DIMENSION;
        private int creditsPerConnection = DEFAULT_CREDITS_PER_CONNECTION;
        private int maxConnections = 256;
        private int maxStreamsPerConnection = 64;
        private int maxSubscriptionsPerConnection = DEFAULT_MAX_SUBSCRIPTIONS_PER_CONNECTION;
        private int maxStreams = 256;
        private int handshakeTimeoutMs = 5_000;
        private int idleTimeoutMs = 10_000;
        private int frameDeadlineMs = 10_000;
        private int taskBudgetMs = DEFAULT_TASK_BUDGET_MS;
        private int stuckWorkerGraceMs = DEFAULT_STUCK_WORKER_GRACE_MS;
        private int maxStuckWorkers = DEFAULT_MAX_STUCK_WORKERS;
        private int drainGraceMs = 10_000;
        private int loadRefreshMs = 1_000;
        private Duration stateIdleTimeout = Duration.ofMinutes(5);
        private long maxStreamStateBytes = DEFAULT_MAX_STREAM_STATE_BYTES;
        private long maxStateBytes = DEFAULT_MAX_STATE_BYTES;
        private Duration stateEvictMinIdle = Duration.ofMillis(DEFAULT_STATE_EVICT_MIN_IDLE_MS);
        private io.argus.agent.state.CheckpointConfig checkpoint = io.argus.agent.state.CheckpointConfig.DEFAULT;
        private EventLinkConfig eventLink = EventLinkConfig.DEFAULT;
        private ManagedRetryConfig managedRetry = ManagedRetryConfig.DEFAULT;
        private List<String> authTokens = List.of();
        private @Nullable Path modelsDir;
        private List<String> disabledTasks = List.of();
        private String coordinatorToken = "";
        private @Nullable Path personModel;
        private @Nullable Path textModel;

        /** ONNX person detector (YOLO export) replacing HOG. Default none (HOG). */
        public Builder personModel(@Nullable Path v) {
            this.personModel = v;
            return this;
        }

        /** DB text detection model replacing MSER line finding. Default none (MSER). */
        public Builder textModel(@Nullable Path v) {
            this.textModel = v;
            return this;
        }

        /** Token presented to coordinators (event publishing, state fetch). Default empty. */
        public Builder coordinatorToken(String v) {
            this.coordinatorToken = v == null ? "" : v;
            return this;
        }

        /** Agent id in discovery. Default: {@code agent-<advertised host>-<port>}. */
        public Builder agentId(@Nullable String v) {
            this.agentId = v;
            return this;
        }

        /** ZooKeeper connect string; null (default) runs the agent without registering. */
        public Builder zkConnect(@Nullable String v) {
            this.zkConnect = v;
            return this;
        }

        /** Root znode of the cluster. Default {@code /argus}. */
        public Builder zkRoot(String v) {
            this.zkRoot = Objects.requireNonNull(v);
            return this;
        }

        /**
         * ZooKeeper session timeout. Default 6000 ms. If the agent cannot reach ZooKeeper for this
         * long its registration vanishes; the agent fences itself (stops taking new streams) as
         * soon as the connection is SUSPENDED and re-registers when a session is back.
         */
        public Builder zkSessionTimeoutMs(int v) {
            this.zkSessionTimeoutMs = v;
            return this;
        }

        /**
         * Machine CPU load (0..1] from which the agent may shed frames ({@code OVERLOADED}) when
         * more are in flight than its measured capacity; see {@code AdaptiveShedder}. Default
         * {@link AgentConfig#DEFAULT_SHED_CPU_THRESHOLD} (0.9, go-zero's default); 0 to 1; 0 disables shedding.
         */
        public Builder shedCpuThreshold(double v) {
            this.shedCpuThreshold = v;
            return this;
        }

        /**
         * Source of the CPU reading for shedding, 0..1. Default: the machine's load, sampled every
         * 250 ms and smoothed. Tests inject a reading, because real overload cannot be produced on
         * demand.
         */
        public Builder cpuSource(DoubleSupplier v) {
            this.cpuSource = v;
            return this;
        }

        /**
         * The cluster's ZooKeeper credentials: the registration is created under their digest ACL.
         * Default none (an open cluster).
         */
        public Builder zkCredentials(@Nullable ZkCredentials v) {
            this.zkCredentials = v;
            return this;
        }

        /**
         * TLS 1.3 on the frame port, and for this agent's own connections to coordinators. Default
         * none: plaintext, which is only allowed on a loopback bind address.
         */
        public Builder tls(@Nullable TlsSettings v) {
            this.tls = v;
            return this;
        }

        /** Address to bind. Default {@code 0.0.0.0} with TLS, {@code 127.0.0.1} without. */
        public Builder bindHost(@Nullable String v) {
            this.bindHost = v;
            return this;
        }

        /** Address clients use, published in discovery. Default: the bind address if specific, else this host's first non-loopback IPv4 address. */
        public Builder advertiseHost(@Nullable String v) {
            this.advertiseHost = v;
            return this;
        }

        /** Frame protocol port; 0 (default) picks a free port. 0 to 65535. */
        public Builder port(int v) {
            this.port = v;
            return this;
        }

        /** HTTP port for /metrics and /healthz; -1 (default) disables it, 0 picks a free port. */
        public Builder metricsPort(int v) {
            this.metricsPort = v;
            return this;
        }

        /** Worker threads for image work. Default: the number of cores. 1 to 256. */
        public Builder workers(int v) {
            this.workers = v;
            return this;
        }

        /**
         * Threads OpenCV may use inside one call (process-wide). Default 1: the workers are the
         * parallelism, one frame each, and OpenCV's own threads would only compete with them
         * (BENCHMARKS.md, threads). More only helps an agent with fewer busy streams than cores.
         * 1 to 256.
         */
        public Builder opencvThreads(int v) {
            this.opencvThreads = SettingRange.check("opencvThreads", v, 1, 256);
            return this;
        }

        /**
         * Whether each worker runs one made-up frame through every parameterless task before the
         * agent registers (default true). It costs start-up time (about a second on two cores)
         * and spares the first real frames, above all those of a stream that failed over to this
         * agent, the cold-start delay ({@link io.argus.agent.exec.PipelineWarmup}).
         */
        public Builder warmup(boolean v) {
            this.warmup = v;
            return this;
        }

        /** Largest Envelope accepted. Default 16 MiB, at least 1024; larger frames are skipped unread and answered TOO_LARGE. */
        public Builder maxFrameBytes(int v) {
            this.maxFrameBytes = v;
            return this;
        }

        /** Largest image, width x height. Default 40 megapixels, at least 1; larger images are refused from their header (TOO_LARGE). */
        public Builder maxPixels(long v) {
            this.maxPixels = v;
            return this;
        }

        /** Largest image side. Default 16384, at least 1. */
        public Builder maxDimension(int v) {
            this.maxDimension = v;
            return this;
        }

        /** Frames one connection may have in flight. Default {@link AgentConfig#DEFAULT_CREDITS_PER_CONNECTION} (8), 1 to 1024; frames beyond it are answered OVERLOADED. */
        public Builder creditsPerConnection(int v) {
            this.creditsPerConnection = v;
            return this;
        }

        /** Concurrent connections. Default 256; further connections get OVERLOADED and are closed. */
        public Builder maxConnections(int v) {
            this.maxConnections = v;
            return this;
        }

        /** Distinct streams one connection may send. Default 64. */
        public Builder maxStreamsPerConnection(int v) {
            this.maxStreamsPerConnection = v;
            return this;
        }

        /**
         * Streams one connection may follow with Subscribe. Default
         * {@value AgentConfig#DEFAULT_MAX_SUBSCRIPTIONS_PER_CONNECTION}; a further Subscribe gets
         * OVERLOADED and is not kept. Range 1-4096.
         */
        public Builder maxSubscriptionsPerConnection(int v) {
            this.maxSubscriptionsPerConnection = v;
            return this;
        }

        /** Streams with queued work on the agent at once. Default 256. */
        public Builder maxStreams(int v) {
            this.maxStreams = v;
            return this;
        }

        /** Time from accept to a valid Hello. Default 5000 ms; then the connection is closed. */
        public Builder handshakeTimeoutMs(int v) {
            this.handshakeTimeoutMs = v;
            return this;
        }

        /**
         * A connection that sends nothing (not even a heartbeat) for this long is closed. Default
         * 10000 ms; clients ping every 250 ms when idle. Also bounds how long one frame may take to
         * arrive once it has started (slow senders).
         */
        public Builder idleTimeoutMs(int v) {
            this.idleTimeoutMs = v;
            return this;
        }

        /** A frame still queued this long after arrival is answered TIMEOUT unprocessed. Default 10000 ms. */
        public Builder frameDeadlineMs(int v) {
            this.frameDeadlineMs = v;
            return this;
        }

        /**
         * Processing time each task may spend on a frame, checked between its stages. Default
         * {@value AgentConfig#DEFAULT_TASK_BUDGET_MS} ms; a task over it stops at its next stage
         * boundary with {@code TIMEOUT} in its result (the frame's other tasks still run). 0: none.
         * Range 0-600000.
         */
        public Builder taskBudgetMs(int v) {
            this.taskBudgetMs = v;
            return this;
        }

        /**
         * A worker busy on one job for longer than the task budget plus this is given up as stuck:
         * its frame is answered {@code TIMEOUT}, the thread interrupted and replaced. Default
         * {@value AgentConfig#DEFAULT_STUCK_WORKER_GRACE_MS} ms. Range 10-600000.
         */
        public Builder stuckWorkerGraceMs(int v) {
            this.stuckWorkerGraceMs = v;
            return this;
        }

        /**
         * Stuck workers replaced while alive; at this many /healthz says degraded and no more are
         * added. Default {@value AgentConfig#DEFAULT_MAX_STUCK_WORKERS}. Range 0-256.
         */
        public Builder maxStuckWorkers(int v) {
            this.maxStuckWorkers = v;
            return this;
        }

        /** On shutdown, in-flight frames get this long to finish. Default 10000 ms; then connections close. */
        public Builder drainGraceMs(int v) {
            this.drainGraceMs = v;
            return this;
        }

        /** Period of the load refresh in discovery. Default 1000 ms (required: at most 2000). */
        public Builder loadRefreshMs(int v) {
            this.loadRefreshMs = v;
            return this;
        }

        /** When streams' state is checkpointed. Default {@link CheckpointConfig#DEFAULT}. */
        public Builder checkpoint(CheckpointConfig v) {
            this.checkpoint = Objects.requireNonNull(v);
            return this;
        }

        /**
         * How the agent publishes events and checkpoints to the coordinators: queue and batch sizes,
         * acknowledgement and heartbeat timeouts, reconnect backoff, and what it keeps for a
         * coordinator's store while none of its coordinators is live. Default
         * {@link EventLinkConfig#DEFAULT}; each setting's default and range are on {@link EventLinkConfig}.
         */
        public Builder eventLink(EventLinkConfig v) {
            this.eventLink = Objects.requireNonNull(v);
            return this;
        }

        /**
         * How a managed stream's failing source is retried and when a recording is given up (FAILED).
         * Default {@link ManagedRetryConfig#DEFAULT}; each setting's default and
         * range are on {@link ManagedRetryConfig}.
         */
        public Builder managedRetry(ManagedRetryConfig v) {
            this.managedRetry = Objects.requireNonNull(v);
            return this;
        }

        /** A stream's state is dropped after this long without frames. Default 5 minutes. */
        public Builder stateIdleTimeout(Duration v) {
            this.stateIdleTimeout = v;
            return this;
        }

        /**
         * State one stream may hold (background models, latest frames, canvases), measured after
         * each of its frames. Default {@value AgentConfig#DEFAULT_MAX_STREAM_STATE_BYTES} bytes
         * (256 MiB); over it the state is dropped and the frame's stateful tasks answer
         * {@code TOO_LARGE}. At least 65536, at most {@link #maxStateBytes}.
         */
        public Builder maxStreamStateBytes(long v) {
            this.maxStreamStateBytes = v;
            return this;
        }

        /**
         * State all streams may hold on this agent. Default
         * {@value AgentConfig#DEFAULT_MAX_STATE_BYTES} bytes (1 GiB), at least {@link #maxStreamStateBytes}. At it, a stream that holds no
         * state yet evicts the least recently used streams idle for {@link #stateEvictMinIdle}, or
         * its frame is refused {@code OVERLOADED} (not applied).
         */
        public Builder maxStateBytes(long v) {
            this.maxStateBytes = v;
            return this;
        }

        /**
         * Only streams idle this long may be evicted to make room for another. Default
         * {@value AgentConfig#DEFAULT_STATE_EVICT_MIN_IDLE_MS} ms; 0 or more.
         */
        public Builder stateEvictMinIdle(Duration v) {
            this.stateEvictMinIdle = v;
            return this;
        }

        /** Accepted client tokens; empty (default) accepts any client. */
        public Builder authTokens(List<String> v) {
            this.authTokens = v == null ? List.of() : v;
            return this;
        }

        /** Directory with model files overriding the bundled ones. Default none. */
        public Builder modelsDir(@Nullable Path v) {
            this.modelsDir = v;
            return this;
        }

        /** Tasks not to offer even if available. Default none. */
        public Builder disabledTasks(List<String> v) {
            this.disabledTasks = v == null ? List.of() : v;
            return this;
        }

        public AgentConfig build() {
            return new AgentConfig(this);
        }
    }
}
