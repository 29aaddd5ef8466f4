package io.argus.agent;

import io.argus.agent.exec.AdaptiveShedder;
import io.argus.agent.exec.AgentMetrics;
import io.argus.agent.exec.FramePipeline;
import io.argus.agent.exec.LoadMeter;
import io.argus.agent.exec.PipelineWarmup;
import io.argus.agent.exec.StreamLanes;
import io.argus.agent.exec.StuckWorkerWatchdog;
import io.argus.agent.net.AgentRuntime;
import io.argus.agent.net.AgentServer;
import io.argus.agent.net.MetricsServer;
import io.argus.agent.net.OwnershipCheck;
import io.argus.agent.net.SelfProbe;
import io.argus.agent.net.StreamAccess;
import io.argus.agent.net.ViewerHub;
import io.argus.agent.record.Checkpointer;
import io.argus.agent.record.Recorder;
import io.argus.agent.registry.AssignmentOwnership;
import io.argus.agent.state.StreamStateStore;
import io.argus.agent.task.ModelFiles;
import io.argus.agent.task.TaskRegistry;
import io.argus.agent.task.VisionTask;
import io.argus.protocol.Envelopes;
import io.argus.protocol.ProtocolConstants;
import io.argus.protocol.auth.RoleTokens;
import io.argus.cluster.AgentLoad;
import io.argus.cluster.AgentPayload;
import io.argus.cluster.ClusterView;
import com.google.protobuf.ByteString;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * A running node agent: frame server, worker lanes, tasks, and (with a ZooKeeper connect string)
 * its registration. This class wires the parts ({@link TaskCatalogue}, {@link AgentCluster},
 * {@link AgentMaintenance}, {@link AgentHealth}, {@link AgentMembership}; checkpoints are taken by
 * {@link Checkpointer}); {@link #start} returns once the agent is serving and registered, and if
 * any step fails it closes everything opened so far, newest first, before it throws
 * ({@link OpenedResources}). {@link #close} drains it gracefully.
 *
 * <p>The start-up order and the graceful close stay together in this class, so that the close
 * order can be read against the order in which things were opened.
 */
public final class NodeAgent implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NodeAgent.class);
    /** How long shutdown waits for open connections to close, and for workers to finish. */
    static final long CLOSE_WAIT_MS = 2_000;

    private final AgentConfig config;
    private final AgentRuntime rt;
    private final AgentServer server;
    private final @Nullable AgentCluster cluster;
    private final @Nullable AgentMembership membership;
    private final @Nullable MetricsServer metricsServer;
    private final AgentMaintenance maintenance;
    private final StuckWorkerWatchdog watchdog;
    private volatile boolean closed;

    private NodeAgent(AgentConfig config, AgentRuntime rt, AgentServer server, @Nullable AgentCluster cluster,
                      @Nullable AgentMembership membership, @Nullable MetricsServer metricsServer, AgentMaintenance maintenance,
                      StuckWorkerWatchdog watchdog) {
        this.config = config;
        this.rt = rt;
        this.server = server;
        this.cluster = cluster;
        this.membership = membership;
        this.metricsServer = metricsServer;
        this.maintenance = maintenance;
        this.watchdog = watchdog;
    }

    public static NodeAgent start(AgentConfig config) throws Exception {
        return start(config, m -> List.of());
    }

    /** As {@link #start(AgentConfig)}, offering additional tasks (plug-ins) next to the built-in ones. */
    public static NodeAgent start(AgentConfig config, Function<ModelFiles, List<VisionTask>> extraTasks)
            throws Exception {
        OpenedResources opened = new OpenedResources();
        try {
            return open(config, extraTasks, opened);
        } catch (Exception | Error e) {
            opened.closeAll(e);
            throw e;
        }
    }

    private static NodeAgent open(AgentConfig config, Function<ModelFiles, List<VisionTask>> extraTasks,
                                  OpenedResources opened) throws Exception {
        long startedAt = System.currentTimeMillis();
        String host = config.advertiseHost() != null ? config.advertiseHost() : AgentAddress.advertised(config.bindHost());
        String agentId = config.agentId() != null ? config.agentId() : AgentAddress.defaultId(host, config.port());
        AgentRuntime.Admission admission = new AgentRuntime.Admission();
        ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
        Processing p = AgentProcessing.build(config, agentId, extraTasks, opened);
        ByteString warmupFrame = config.warmup() ? PipelineWarmup.syntheticJpeg() : null;
        if (warmupFrame != null) {
            PipelineWarmup.run(p.pipeline(), p.lanes(), p.tasks(), config.workers(), warmupFrame);
        }
        StuckWorkerWatchdog watchdog = new StuckWorkerWatchdog(p.lanes(),
                (long) config.taskBudgetMs() + config.stuckWorkerGraceMs(), config.maxStuckWorkers(), p.metrics(),
                p.states()::abandon);
        opened.add("stuck-worker watchdog", watchdog::close);
        AgentCluster cluster = null;
        if (config.zkConnect() != null) {
            cluster = AgentCluster.connect(config, agentId, p.metrics());
            opened.add("cluster link", cluster::close);
        }
        LoadMeter loadMeter = new LoadMeter();
        DoubleSupplier cpu = config.cpuSource() != null ? config.cpuSource() : loadMeter::systemCpu;
        AdaptiveShedder shedder = new AdaptiveShedder(config.shedCpuThreshold(), cpu, System::nanoTime);
        p.metrics().gauge("argus.agent.cpu", cpu::getAsDouble);
        p.metrics().gauge("argus.agent.inflight", shedder::inFlight);
        ClusterView view = cluster == null ? null : cluster.view();
        AssignmentOwnership ownership = cluster == null ? null
                : new AssignmentOwnership(agentId, cluster.view(), cluster.curator(), cluster.agentsPath(), System::nanoTime);
        Checkpointer checkpointer = cluster == null ? null
                : new Checkpointer(agentId, p.states(), p.lanes(), cluster.link(), config.checkpoint(),
                epochs(cluster.view(), agentId));
        ViewerHub viewers = new ViewerHub();
        StreamAccess access = new StreamAccess(view == null ? stream -> Optional.empty() : view::stream, p.states(),
                System::currentTimeMillis, 4 * config.maxStreams());
        AgentRuntime rt = new AgentRuntime(agentId, config, p.tasks(), p.pipeline(), p.lanes(), p.states(), p.metrics(),
                loadMeter, channels, admission,
                cluster == null ? Recorder.NONE
                        : Recorder.to(cluster.link(), Objects.requireNonNull(checkpointer), epochs(cluster.view(), agentId)),
                viewers, shedder, ownership == null ? OwnershipCheck.ANYONE : ownership, access);
        p.metrics().gauge("argus.agent.viewed_streams", viewers::followedStreams);
        AgentServer server = new AgentServer(rt, config.tls() == null ? null : config.tls().serverContext());
        opened.add("frame server", server::close);
        opened.add("connections", () -> channels.close().awaitUninterruptibly(CLOSE_WAIT_MS, TimeUnit.MILLISECONDS));
        MetricsServer metricsServer = null;
        if (config.metricsPort() >= 0) {
            metricsServer = new MetricsServer(config.bindHost(), config.metricsPort(), p.metrics().registry(),
                    new AgentHealth(agentId, admission, p.lanes(), watchdog));
            opened.add("metrics server", metricsServer::close);
        }
        AgentProcessing.gauges(p);
        if (warmupFrame != null) {
            SelfProbe.run(server.port(), RoleTokens.firstSenderSecret(config.authTokens()),
                    config.tls() == null ? null : config.tls().clientContext(), warmupFrame);
            p.states().drop("argus-self-probe");
        }
        AgentMembership membership = null;
        if (cluster != null) {
            AgentPayload payload = new AgentPayload(host, server.port(), metricsServer == null ? -1 : metricsServer.port(),
                    ProtocolConstants.VERSION, p.tasks().names(), config.workers(), config.workers(), AgentLoad.IDLE,
                    startedAt, startedAt, false, "0.1.0");
            // both exist whenever the cluster does
            membership = AgentMembership.join(rt, cluster, payload, Objects.requireNonNull(ownership),
                    Objects.requireNonNull(checkpointer), opened);
        }
        AgentMaintenance maintenance = new AgentMaintenance(rt, loadMeter,
                membership == null ? null : membership.registration(), checkpointer);
        log.info("agent {} serving on port {} with {} workers, tasks {}", agentId, server.port(),
                config.workers(), p.tasks().names());
        return new NodeAgent(config, rt, server, cluster, membership, metricsServer, maintenance, watchdog);
    }

    /** What an agent processes frames with, without its network and cluster parts. */
    public record Processing(TaskRegistry tasks, StreamStateStore states, StreamLanes lanes, AgentMetrics metrics,
                             FramePipeline pipeline) {
    }

    /** The processing an agent built from {@code config} runs, for use in this JVM (benchmarks). */
    public static Processing processing(AgentConfig config) {
        OpenedResources opened = new OpenedResources();
        try {
            return AgentProcessing.build(config, config.agentId() != null ? config.agentId() : "in-process", m -> List.of(),
                    opened);
        } catch (RuntimeException | Error e) {
            opened.closeAll(e);
            throw e;
        }
    }

    public String id() {
        return rt.agentId();
    }

    public int port() {
        return server.port();
    }

    /** What this agent sees of the cluster (assignments and their epochs); null without ZooKeeper. */
    public @Nullable ClusterView view() {
        return cluster == null ? null : cluster.view();
    }

    /** The /metrics port, or -1 when off. */
    public int metricsPort() {
        return metricsServer == null ? -1 : metricsServer.port();
    }

    public AgentRuntime runtime() {
        return rt;
    }

    public List<String> capabilities() {
        return rt.tasks().names();
    }

    public AgentConfig config() {
        return config;
    }

    /** Decoded frames not yet released (0 when idle; more means a leak of native memory). */
    public long liveFrames() {
        return rt.pipeline().liveFrames();
    }

    /** Managed streams this agent is pulling right now. */
    public Set<String> managedStreams() {
        return membership == null ? Set.of() : membership.managed().running();
    }

    /**
     * Graceful shutdown: deregister so that nobody routes here, tell clients Goodbye, let queued
     * frames finish within the drain grace period, then close everything.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        long t0 = System.nanoTime();
        rt.admission().startDraining();
        if (membership != null) {
            membership.registration().deregister();
        }
        rt.channels().writeAndFlush(Envelopes.goodbye("agent " + rt.agentId() + " is shutting down"));
        server.stopAccepting();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.drainGraceMs());
        while (rt.lanes().queued() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        int left = rt.lanes().queued();
        if (membership != null) {
            membership.managed().close();
            membership.lease().close();
        }
        maintenance.checkpoint(); // the last state, for whoever takes the streams over
        rt.channels().close().awaitUninterruptibly(CLOSE_WAIT_MS, TimeUnit.MILLISECONDS);
        maintenance.close();
        watchdog.close();
        rt.lanes().close();
        server.close();
        try {
            if (rt.lanes().awaitTermination(CLOSE_WAIT_MS)) {
                rt.pipeline().close(); // never under a worker still decoding: that would be a use after free
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (metricsServer != null) {
            metricsServer.close();
        }
        rt.states().close();
        rt.tasks().close();
        if (membership != null) {
            membership.registration().close();
        }
        if (cluster != null) {
            cluster.close(); // event link, view, then the ZooKeeper session
        }
        log.info("agent {} stopped in {} ms ({} frame(s) abandoned)", rt.agentId(),
                (System.nanoTime() - t0) / 1_000_000, left);
    }

    /** Each stream's assignment epoch for this agent, as the cluster view has it. */
    private static ToLongFunction<String> epochs(ClusterView view, String agentId) {
        return stream -> view.epoch(stream, agentId);
    }
}
