package io.argus.agent;

import io.argus.agent.managed.ManagedRetryConfig;
import io.argus.agent.record.EventLinkConfig;
import io.argus.agent.state.CheckpointConfig;
import io.argus.protocol.ProtocolConstants;
import io.argus.protocol.auth.Tokens;
import io.argus.protocol.util.BoundedShutdown;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code argus agent}: runs a node agent until SIGTERM/SIGINT, then drains it.
 * Options may also come from a properties file given with {@code --config}: keys are the long
 * option names without dashes ({@code workers=4}, {@code zk=zk1:2181,zk2:2181}); the command line
 * wins over the file.
 */
@Command(name = "agent", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Runs an Argus node agent: registers in ZooKeeper and serves the frame protocol.")
public final class AgentMain implements Callable<Integer> {

    @Option(names = "--zk", description = "ZooKeeper connect string, e.g. zk1:2181,zk2:2181. Without it the agent runs unregistered.")
    @Nullable String zk;

    @Option(names = "--port", description = "Frame protocol port; 0 = any free port (default: ${DEFAULT-VALUE}).", defaultValue = "" + AgentConfig.DEFAULT_PORT)
    int port;

    @Option(names = "--name", description = "Agent id in discovery (default: agent-<host>-<port>).")
    @Nullable String name;

    @Option(names = "--workers", description = "Worker threads for image work (default: number of cores).")
    @Nullable Integer workers;

    @Option(names = "--opencv-threads", description = "Threads OpenCV may use within one call (default: "
            + AgentConfig.DEFAULT_OPENCV_THREADS + "; the workers are the parallelism).")
    @Nullable Integer opencvThreads;

    @Option(names = "--warmup", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Run one made-up frame through every worker and task before registering, so that the first real frames are not cold; --no-warmup starts faster (default: ${DEFAULT-VALUE}).")
    boolean warmup;

    @Option(names = "--max-frame-bytes", description = "Largest accepted message in bytes (default: "
            + ProtocolConstants.DEFAULT_MAX_FRAME_BYTES + ", 16 MiB).")
    @Nullable Integer maxFrameBytes;

    @Option(names = "--max-pixels", description = "Largest accepted image, width x height (default: "
            + ProtocolConstants.DEFAULT_MAX_PIXELS + ").")
    @Nullable Long maxPixels;

    @Option(names = "--credits", description = "Frames one connection may have in flight (default: "
            + AgentConfig.DEFAULT_CREDITS_PER_CONNECTION + ").")
    @Nullable Integer credits;

    /** ZooKeeper root, session and credentials, TLS, bind address: shared with the coordinator. */
    @picocli.CommandLine.Mixin
    io.argus.cluster.options.NodeOptions node = new io.argus.cluster.options.NodeOptions();

    @Option(names = "--advertise-host", description = "Address published for clients (default: first non-loopback IPv4).")
    @Nullable String advertiseHost;

    @Option(names = "--metrics-port", description = "HTTP port for /metrics and /healthz; -1 = off, 0 = any (default: ${DEFAULT-VALUE}).",
            defaultValue = "" + AgentConfig.DEFAULT_METRICS_PORT)
    int metricsPort;

    @Option(names = "--shed-cpu", description = "Machine CPU %% from which frames over the measured capacity "
            + "are shed with OVERLOADED; 0 disables (default: " + (int) (AgentConfig.DEFAULT_SHED_CPU_THRESHOLD * 100) + ").")
    @Nullable Integer shedCpuPercent;

    @Option(names = "--checkpoint-ms", description = "Checkpoint each stream's state to the coordinators this often "
            + "(default: " + CheckpointConfig.DEFAULT_INTERVAL_MS + ").")
    @Nullable Long checkpointMs;

    @Option(names = "--checkpoint-frames", description = "Also checkpoint a stream after this many frames; 0 = off "
            + "(default: " + CheckpointConfig.DEFAULT_EVERY_FRAMES + ").")
    @Nullable Integer checkpointFrames;

    @Option(names = "--event-max-queued", defaultValue = "" + EventLinkConfig.DEFAULT_MAX_QUEUED,
            description = "Events queued per coordinator, and kept per coordinator store that is away; beyond it "
                    + "the oldest are dropped and counted (default: ${DEFAULT-VALUE}).")
    int eventMaxQueued;

    @Option(names = "--managed-retry-initial-ms", defaultValue = "" + ManagedRetryConfig.DEFAULT_INITIAL_MS,
            description = "First pause before a managed stream's failed source is tried again; doubles with each "
                    + "failure in a row (default: ${DEFAULT-VALUE}).")
    long managedRetryInitialMs;

    @Option(names = "--managed-retry-max-ms", defaultValue = "" + ManagedRetryConfig.DEFAULT_MAX_MS,
            description = "Longest pause between attempts at a managed stream's failed source (default: ${DEFAULT-VALUE}).")
    long managedRetryMaxMs;

    @Option(names = "--managed-fail-after", defaultValue = "" + ManagedRetryConfig.DEFAULT_FAIL_AFTER,
            description = "Failures in a row after which a managed recording (file or image folder) is given up: "
                    + "state failed until it is added again; live sources are never given up (default: ${DEFAULT-VALUE}).")
    int managedFailAfter;

    @Option(names = "--event-batch", defaultValue = "" + EventLinkConfig.DEFAULT_BATCH,
            description = "Events per batch sent to a coordinator (default: ${DEFAULT-VALUE}).")
    int eventBatch;

    @Option(names = "--event-ack-timeout-ms", defaultValue = "" + EventLinkConfig.DEFAULT_ACK_TIMEOUT_MS,
            description = "A batch a coordinator has not acknowledged this long is sent again (default: ${DEFAULT-VALUE}).")
    long eventAckTimeoutMs;

    @Option(names = "--event-max-reconnect-ms", defaultValue = "" + EventLinkConfig.DEFAULT_MAX_RECONNECT_MS,
            description = "Longest pause between attempts to reach a coordinator; the pause doubles from "
                    + EventLinkConfig.DEFAULT_FIRST_RECONNECT_MS + " ms up to this (default: ${DEFAULT-VALUE}).")
    long eventMaxReconnectMs;

    @Option(names = "--event-heartbeat-timeout-ms", defaultValue = "" + EventLinkConfig.DEFAULT_HEARTBEAT_TIMEOUT_MS,
            description = "A link to a coordinator silent this long is lost and reconnected (default: ${DEFAULT-VALUE}).")
    int eventHeartbeatTimeoutMs;

    @Option(names = "--event-parked-stores", defaultValue = "" + EventLinkConfig.DEFAULT_MAX_PARKED_STORES,
            description = "Coordinator stores without a live coordinator whose events are kept at once (default: ${DEFAULT-VALUE}).")
    int eventParkedStores;

    @Option(names = "--event-parked-retention-ms", defaultValue = "" + EventLinkConfig.DEFAULT_PARKED_RETENTION_MS,
            description = "How long events are kept for a store none of whose coordinators is live (default: ${DEFAULT-VALUE}).")
    long eventParkedRetentionMs;

    @Option(names = "--models", description = "Directory with model files overriding the bundled ones.")
    @Nullable Path models;

    @Option(names = "--person-model", description = "ONNX person detector (YOLOv5/v8 export) to use instead of HOG.")
    @Nullable Path personModel;

    @Option(names = "--text-model", description = "OpenCV DB text detection model to use instead of MSER line finding.")
    @Nullable Path textModel;

    @Option(names = "--disable-task", split = ",", description = "Tasks not to offer.")
    List<String> disabledTasks = new ArrayList<>();

    @Option(names = "--coordinator-token-file", description = "File whose first line is the token this agent presents "
            + "to coordinators (their --token-file). Default: none.")
    @Nullable Path coordinatorTokenFile;

    @Option(names = "--auth-token-file", description = "File with accepted client tokens, one per line. Without it any client is accepted.")
    @Nullable Path tokenFile;

    @Option(names = "--task-budget-ms", description = "Processing time one task may spend on a frame, checked between "
            + "its stages; over it the task answers TIMEOUT; 0 = none (default: " + AgentConfig.DEFAULT_TASK_BUDGET_MS + ").")
    @Nullable Integer taskBudgetMs;

    @Option(names = "--stuck-worker-grace-ms", description = "A worker busy on one frame longer than the task budget plus "
            + "this is given up as stuck and replaced (default: " + AgentConfig.DEFAULT_STUCK_WORKER_GRACE_MS + ").")
    @Nullable Integer stuckWorkerGraceMs;

    @Option(names = "--max-stuck-workers", description = "Stuck workers replaced while alive; at this many /healthz "
            + "reports degraded (default: " + AgentConfig.DEFAULT_MAX_STUCK_WORKERS + ").")
    @Nullable Integer maxStuckWorkers;

    @Option(names = "--max-stream-state-mb", description = "State one stream may hold, in MiB; over it the state is "
            + "dropped and its stateful tasks answer TOO_LARGE (default: " + (AgentConfig.DEFAULT_MAX_STREAM_STATE_BYTES >> 20) + ").")
    @Nullable Long maxStreamStateMb;

    @Option(names = "--max-state-mb", description = "State all streams may hold, in MiB; at it idle streams are evicted "
            + "or new streams refused OVERLOADED (default: " + (AgentConfig.DEFAULT_MAX_STATE_BYTES >> 20) + "). "
            + "Keep -Dorg.bytedeco.javacpp.maxPhysicalBytes above heap + this + maxBytes (RELIABILITY.md).")
    @Nullable Long maxStateMb;

    @Option(names = "--state-evict-min-idle-ms", description = "Only streams idle this long may be evicted to make room "
            + "(default: " + AgentConfig.DEFAULT_STATE_EVICT_MIN_IDLE_MS + ").")
    @Nullable Long stateEvictMinIdleMs;

    @Option(names = "--config", description = "Properties file with default values for these options.")
    @Nullable File config;

    AgentConfig toConfig() throws Exception {
        AgentConfig.Builder b = AgentConfig.builder().zkConnect(zk).port(port).agentId(name).bindHost(node.bind())
                .advertiseHost(advertiseHost).metricsPort(metricsPort).zkRoot(node.zkRoot()).modelsDir(models)
                .disabledTasks(disabledTasks).personModel(personModel).textModel(textModel).tls(node.tls()).zkCredentials(node.zkCredentials())
                .zkSessionTimeoutMs(node.sessionTimeoutMs());
        b.warmup(warmup);
        if (opencvThreads != null) {
            b.opencvThreads(opencvThreads);
        }
        if (workers != null) {
            b.workers(workers);
        }
        if (maxFrameBytes != null) {
            b.maxFrameBytes(maxFrameBytes);
        }
        if (maxPixels != null) {
            b.maxPixels(maxPixels);
        }
        if (credits != null) {
            b.creditsPerConnection(credits);
        }
        if (shedCpuPercent != null) {
            b.shedCpuThreshold(shedCpuPercent / 100.0);
        }
        if (checkpointMs != null || checkpointFrames != null) {
            b.checkpoint(new CheckpointConfig(
                    checkpointMs != null ? checkpointMs : CheckpointConfig.DEFAULT_INTERVAL_MS,
                    checkpointFrames != null ? checkpointFrames : CheckpointConfig.DEFAULT_EVERY_FRAMES));
        }
        b.managedRetry(ManagedRetryConfig.builder().initialMs(managedRetryInitialMs).maxMs(managedRetryMaxMs)
                .failAfter(managedFailAfter).build());
        b.eventLink(EventLinkConfig.builder().maxQueued(eventMaxQueued).batch(eventBatch).ackTimeoutMs(eventAckTimeoutMs)
                .maxReconnectMs(eventMaxReconnectMs).heartbeatTimeoutMs(eventHeartbeatTimeoutMs)
                .maxParkedStores(eventParkedStores).parkedRetentionMs(eventParkedRetentionMs).build());
        if (maxStreamStateMb != null) {
            b.maxStreamStateBytes(maxStreamStateMb << 20);
        }
        if (maxStateMb != null) {
            b.maxStateBytes(maxStateMb << 20);
        }
        if (stateEvictMinIdleMs != null) {
            b.stateEvictMinIdle(Duration.ofMillis(stateEvictMinIdleMs));
        }
        if (taskBudgetMs != null) {
            b.taskBudgetMs(taskBudgetMs);
        }
        if (stuckWorkerGraceMs != null) {
            b.stuckWorkerGraceMs(stuckWorkerGraceMs);
        }
        if (maxStuckWorkers != null) {
            b.maxStuckWorkers(maxStuckWorkers);
        }
        if (coordinatorTokenFile != null) {
            b.coordinatorToken(Tokens.readFirst(coordinatorTokenFile));
        }
        if (tokenFile != null) {
            // a file without a token is an error: an empty list would accept every client
            b.authTokens(Tokens.readFile(tokenFile));
        }
        return b.build();
    }

    @Override
    public Integer call() throws Exception {
        NodeAgent agent = NodeAgent.start(toConfig());
        CountDownLatch stopped = new CountDownLatch(1);
        // the drain grace for in-flight frames, plus 5 s for checkpoints and deregistration
        BoundedShutdown.install("argus-agent", agent,
                Duration.ofMillis(agent.config().drainGraceMs() + 5_000), stopped);
        // machine-readable line for scripts and tests that start agents as child processes
        System.out.println("AGENT-READY id=" + agent.id() + " port=" + agent.port());
        System.out.flush();
        stopped.await();
        return 0;
    }

    public static void main(String[] args) {
        System.exit(commandLine(args).execute(args));
    }

    /** A command line with the --config file, if any, as the source of defaults. */
    public static CommandLine commandLine(String[] args) {
        CommandLine cmd = new CommandLine(new AgentMain());
        ConfigFileOnly pre = new ConfigFileOnly();
        new CommandLine(pre).setUnmatchedArgumentsAllowed(true).setUnmatchedOptionsArePositionalParams(true)
                .parseArgs(Arrays.copyOf(args, args.length));
        if (pre.config != null) {
            cmd.setDefaultValueProvider(new CommandLine.PropertiesDefaultProvider(pre.config));
        }
        return cmd;
    }

    @Command
    static final class ConfigFileOnly {
        @Option(names = "--config")
        @Nullable File config;

        @CommandLine.Parameters
        List<String> rest;
    }
}
