package io.argus.agent;

import io.argus.agent.exec.AgentMetrics;
import io.argus.agent.exec.FramePipeline;
import io.argus.agent.exec.LoadMeter;
import io.argus.agent.exec.StreamLanes;
import io.argus.agent.image.ImageDecoder;
import io.argus.task.image.ImageLimits;
import io.argus.agent.image.OpenCv;
import io.argus.agent.net.AgentRuntime;
import io.argus.agent.net.OwnershipCheck;
import io.argus.agent.net.AgentServer;
import io.argus.agent.managed.ManagedStreams;
import io.argus.agent.net.ViewerHub;
import io.argus.agent.record.CoordinatorLink;
import io.argus.agent.record.Recorder;
import io.argus.agent.record.StateClient;
import io.argus.agent.registry.AgentRegistration;
import io.argus.agent.registry.OwnershipLease;
import io.argus.agent.state.StreamState;
import io.argus.protocol.cluster.ClusterView;
import io.argus.agent.state.StreamStateStore;
import io.argus.agent.task.ColorTask;
import io.argus.agent.task.FaceTask;
import io.argus.agent.task.ModelFiles;
import io.argus.agent.task.NoopTask;
import io.argus.agent.task.TaskRegistry;
import io.argus.agent.task.VisionTask;
import io.argus.agent.task.people.HogPersonDetector;
import io.argus.agent.task.people.PeopleTask;
import io.argus.agent.task.composite.AnnotateTask;
import io.argus.agent.task.composite.MosaicTask;
import io.argus.agent.task.composite.StitchTask;
import io.argus.agent.task.text.LineRecognizer;
import io.argus.agent.task.text.TextLineDetector;
import io.argus.agent.task.text.TextTask;
import io.argus.protocol.Envelopes;
import io.argus.protocol.ProtocolConstants;
import io.argus.protocol.cluster.AgentLoad;
import io.argus.protocol.cluster.AgentPayload;
import io.argus.protocol.cluster.ZkClients;
import io.argus.protocol.cluster.SourcePolicies;
import io.argus.protocol.cluster.ZkPaths;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.apache.curator.framework.CuratorFramework;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A running node agent: frame server, worker lanes, tasks, and (with a ZooKeeper connect string)
 * its registration. {@link #start} returns once the agent is serving and registered;
 * {@link #close} drains it gracefully.
 */
public final class NodeAgent implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NodeAgent.class);

    private final AgentConfig config;
    private final AgentRuntime rt;
    private final AgentServer server;

    private final CuratorFramework curator;
    private final ClusterView view;
    private final CoordinatorLink link;
    private final ManagedStreams managed;
    private final OwnershipLease lease;
    private final io.argus.agent.record.Checkpointer checkpointer;
    private final AgentRegistration registration;
    private final io.argus.agent.net.MetricsServer metricsServer;
    private final ScheduledExecutorService scheduler;
    private final io.argus.agent.exec.StuckWorkerWatchdog watchdog;
    private final long startedAt = System.currentTimeMillis();
    private volatile boolean closed;

    private NodeAgent(AgentConfig config, Function<ModelFiles, List<VisionTask>> extraTasks) throws Exception {
        this.config = config;
        String host = config.advertiseHost() != null ? config.advertiseHost() : advertiseAddress(config.bindHost());
        String agentId = config.agentId() != null ? config.agentId() : defaultId(host, config.port());
        AgentRuntime.Admission admission = new AgentRuntime.Admission();
        ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
        Processing processing = processing(config, agentId, extraTasks);
        TaskRegistry tasks = processing.tasks();
        StreamStateStore states = processing.states();
        StreamLanes lanes = processing.lanes();
        AgentMetrics metrics = processing.metrics();
        FramePipeline pipeline = processing.pipeline();
        com.google.protobuf.ByteString warmupFrame = config.warmup() ? io.argus.agent.exec.PipelineWarmup.syntheticJpeg() : null;
        if (warmupFrame != null) {
            io.argus.agent.exec.PipelineWarmup.run(pipeline, lanes, tasks, config.workers(), warmupFrame);
        }
        this.watchdog = new io.argus.agent.exec.StuckWorkerWatchdog(lanes,
                (long) config.taskBudgetMs() + config.stuckWorkerGraceMs(), config.maxStuckWorkers(), metrics,
                states::abandon);
        if (config.zkConnect() != null) {
            this.curator = ZkClients.newClient(config.zkConnect(), config.zkSessionTimeoutMs(), config.zkCredentials());
            curator.start();
            ZkPaths paths = new ZkPaths(config.zkRoot());
            if (config.zkCredentials() != null) {
                try {
                    // before anything is read or registered: no secret may go to an endpoint from an open node
                    new io.argus.protocol.cluster.ZkAclAudit(curator, config.zkCredentials(), paths,
                            io.argus.protocol.cluster.ZkAclAudit.DEFAULT_MAX_NODES).secure();
                } catch (Exception e) {
                    curator.close();
                    throw e;
                }
            }
            io.argus.protocol.cluster.RegistrationTrust trust =
                    io.argus.protocol.cluster.RegistrationTrust.of(curator, config.zkCredentials(), paths);
            this.view = new ClusterView(curator, paths, trust).start();
            metrics.gauge("argus.zk.untrusted_registrations", trust::untrustedCount);
            this.link = new CoordinatorLink(view, agentId, config.coordinatorToken(), metrics.registry(),
                    config.tls() == null ? null : config.tls().clientContext());
        } else {
            this.curator = null;
            this.view = null;
            this.link = null;
        }
        LoadMeter loadMeter = new LoadMeter();
        java.util.function.DoubleSupplier cpu = config.cpuSource() != null ? config.cpuSource() : loadMeter::systemCpu;
        io.argus.agent.exec.AdaptiveShedder shedder = new io.argus.agent.exec.AdaptiveShedder(config.shedCpuThreshold(),
                cpu, System::nanoTime);
        metrics.gauge("argus.agent.cpu", cpu::getAsDouble);
        metrics.gauge("argus.agent.inflight", shedder::inFlight);
        io.argus.agent.registry.AssignmentOwnership ownership = view == null ? null
                : new io.argus.agent.registry.AssignmentOwnership(agentId, view, curator,
                new ZkPaths(config.zkRoot()).agents() + "/" + ZkPaths.AGENT_SERVICE, System::nanoTime);
        this.checkpointer = link == null ? null
                : new io.argus.agent.record.Checkpointer(agentId, states, lanes, link, config.checkpoint(),
                stream -> view.epoch(stream, agentId));
        ViewerHub viewers = new ViewerHub();
        io.argus.agent.net.StreamAccess access = new io.argus.agent.net.StreamAccess(
                view == null ? stream -> java.util.Optional.empty() : view::stream, states,
                System::currentTimeMillis, 4 * config.maxStreams());
        this.rt = new AgentRuntime(agentId, config, tasks, pipeline, lanes, states, metrics, loadMeter, channels, admission,
                link == null ? Recorder.NONE : Recorder.to(link, checkpointer, stream -> view.epoch(stream, agentId)),
                viewers, shedder, ownership == null ? OwnershipCheck.ANYONE : ownership, access);
        metrics.gauge("argus.agent.viewed_streams", viewers::followedStreams);
        this.server = new AgentServer(rt, config.tls() == null ? null : config.tls().serverContext());
        this.metricsServer = config.metricsPort() < 0 ? null : new io.argus.agent.net.MetricsServer(config.bindHost(),
                config.metricsPort(), metrics.registry(), () -> healthJson(agentId, admission, lanes, watchdog));
        rt.metrics().gauge("argus.agent.queue", lanes::queued);
        rt.metrics().gauge("argus.agent.frames.live", pipeline::liveFrames);
        rt.metrics().gauge("argus.agent.streams", states::size);
        rt.metrics().gauge("argus.agent.state.bytes", states::totalBytes);
        rt.metrics().countFrom("argus.agent.state.evicted", "streams evicted to make room (maxStateBytes)",
                states, StreamStateStore::evictedForMemory);
        rt.metrics().countFrom("argus.agent.state.refused", "frames refused with the state memory full",
                states, StreamStateStore::refused);
        rt.metrics().countFrom("argus.agent.state.over_stream_bound", "stream states dropped over maxStreamStateBytes",
                states, StreamStateStore::overStreamBound);
        AgentPayload payload = new AgentPayload(host, server.port(), metricsServer == null ? -1 : metricsServer.port(),
                ProtocolConstants.VERSION, tasks.names(),
                config.workers(), config.workers(), AgentLoad.IDLE, startedAt, startedAt, false, "0.1.0");
        if (warmupFrame != null) {
            io.argus.agent.net.SelfProbe.run(server.port(), io.argus.protocol.auth.RoleTokens.firstSenderSecret(config.authTokens()),
                    config.tls() == null ? null : config.tls().clientContext(), warmupFrame);
            states.drop("argus-self-probe");
        }
        if (curator != null) {
            this.registration = new AgentRegistration(curator, new ZkPaths(config.zkRoot()), rt.agentId(), payload,
                    admission, config.zkSessionTimeoutMs());
            try {
                registration.start();
            } catch (Exception e) {
                server.close();
                link.close();
                view.close();
                curator.close();
                throw e;
            }
            this.lease = new OwnershipLease(curator, new ZkPaths(config.zkRoot()).agents() + "/"
                    + ZkPaths.AGENT_SERVICE + "/" + rt.agentId(), config.zkSessionTimeoutMs()).start(config.zkSessionTimeoutMs());
            ownership.lease(lease);
            this.managed = new ManagedStreams(rt, view, new StateClient(view, config.coordinatorToken(), config.tls()), lease,
                    () -> SourcePolicies.read(curator, new ZkPaths(config.zkRoot())));
            managed.start();
            // hand the streams back: their last state goes to the coordinators (over the frame
            // protocol, which may still work while ZooKeeper does not) for whoever takes them over
            admission.onFenceChange(() -> {
                if (admission.fenced()) {
                    checkpoint();
                }
            });
            // once the session is gone, other agents may have continued these streams: the local
            // state is stale, and a stream that comes back here must restore from the coordinators
            curator.getConnectionStateListenable().addListener((c, state) -> {
                if (state == org.apache.curator.framework.state.ConnectionState.LOST) {
                    for (StreamState st : rt.states().all()) {
                        rt.states().drop(st.streamId());
                    }
                    log.warn("ZooKeeper session lost: dropped local state of every stream");
                }
            });
        } else {
            this.registration = null;
            this.managed = null;
            this.lease = null;
        }
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "argus-agent-maintenance");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleAtFixedRate(loadMeter::sampleCpu, 0, LoadMeter.CPU_SAMPLE_MS, TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(this::refreshLoad, config.loadRefreshMs(), config.loadRefreshMs(),
                TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(() -> {
            int n = states.evictIdle();
            if (n > 0) {
                log.info("evicted {} idle stream state(s)", n);
            }
        }, 30, 30, TimeUnit.SECONDS);
        if (link != null) {
            long every = config.checkpoint().intervalMs();
            scheduler.scheduleWithFixedDelay(this::checkpoint, every, every, TimeUnit.MILLISECONDS);
        }
        log.info("agent {} serving on port {} with {} workers, tasks {}", rt.agentId(), server.port(),
                config.workers(), tasks.names());
    }

    /**
     * Without --name: {@code agent-<host>-<port>} for a fixed port (stable across restarts, so
     * streams come back to it), or with a random suffix when the port is chosen by the system.
     */
    static String defaultId(String host, int port) {
        String h = host.replaceAll("[^A-Za-z0-9.-]", "-");
        String suffix = port > 0 ? Integer.toString(port)
                : Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong() & 0xffffffL);
        return "agent-" + h + "-" + suffix;
    }

    public static NodeAgent start(AgentConfig config) throws Exception {
        return new NodeAgent(config, m -> List.of());
    }

    /** As {@link #start(AgentConfig)}, offering additional tasks (plug-ins) next to the built-in ones. */
    public static NodeAgent start(AgentConfig config, Function<ModelFiles, List<VisionTask>> extraTasks)
            throws Exception {
        return new NodeAgent(config, extraTasks);
    }

    /** What an agent processes frames with, without its network and cluster parts. */
    public record Processing(TaskRegistry tasks, StreamStateStore states, StreamLanes lanes, AgentMetrics metrics,
                             FramePipeline pipeline) {
    }

    /** The processing an agent built from {@code config} runs, for use in this JVM (benchmarks). */
    public static Processing processing(AgentConfig config) {
        return processing(config, config.agentId() != null ? config.agentId() : "in-process", m -> List.of());
    }

    private static Processing processing(AgentConfig config, String agentId,
                                         Function<ModelFiles, List<VisionTask>> extraTasks) {
        OpenCv.load();
        // Parallelism comes from the worker pool (one frame per worker); OpenCV's own threads
        // would only compete with it (default 1; BENCHMARKS.md, threads).
        OpenCv.setThreads(config.opencvThreads());
        ModelFiles models = new ModelFiles(config.modelsDir());
        TaskRegistry tasks = new TaskRegistry();
        for (VisionTask t : builtInTasks(models, config, extraTasks)) {
            if (config.disabledTasks().contains(t.name())) {
                t.close();
            } else {
                tasks.register(t);
            }
        }
        StreamStateStore states = new StreamStateStore(config.stateIdleTimeout(), config.maxStreamStateBytes(),
                config.maxStateBytes(), config.stateEvictMinIdle());
        // a lane holds at most two windows of frames: one connection's worth plus a reconnect's
        StreamLanes lanes = new StreamLanes(config.workers(), config.maxStreams(),
                Math.max(2, config.creditsPerConnection() * 2), "argus-worker");
        AgentMetrics metrics = new AgentMetrics(agentId);
        FramePipeline pipeline = new FramePipeline(agentId, tasks,
                new ImageDecoder(new ImageLimits(config.maxPixels(), config.maxDimension())), states, metrics,
                config.taskBudgetMs());
        return new Processing(tasks, states, lanes, metrics, pipeline);
    }

    static List<VisionTask> builtInTasks(ModelFiles models, AgentConfig config,
                                         Function<ModelFiles, List<VisionTask>> extra) {
        List<VisionTask> list = new java.util.ArrayList<>();
        list.add(new NoopTask());
        list.add(new ColorTask());
        list.add(new FaceTask(models.file("cascades/haarcascade_frontalface_default.xml")));
        list.add(new PeopleTask(config.personModel() != null
                ? new io.argus.agent.task.people.DnnPersonDetector(config.personModel(), 640) : new HogPersonDetector()));
        list.add(new MosaicTask());
        list.add(new StitchTask());
        list.add(new AnnotateTask());
        try {
            list.add(new TextTask(config.textModel() != null
                    ? new io.argus.agent.task.text.DnnTextDetector(config.textModel(), 736) : new TextLineDetector(1280),
                    new LineRecognizer(models.directoryOf("tessdata/eng.traineddata"), "eng")));
        } catch (RuntimeException | LinkageError e) {
            // an agent without Tesseract does not advertise "text" and gets no text streams
            log.warn("text task unavailable: {}", e.toString());
        }
        list.addAll(extra.apply(models));
        return list;
    }

    private void refreshLoad() {
        try {
            int queued = rt.lanes().queued();
            double fps = rt.load().framesPerSecond();
            AgentLoad l = new AgentLoad(Math.max(0, queued - config.workers()), queued, fps, rt.load().cpu(),
                    rt.states().size(), Math.min(1.5, queued / (double) Math.max(1, config.workers() * 2)));
            if (registration != null) {
                registration.updateLoad(l);
            }
        } catch (RuntimeException e) {
            log.debug("load refresh failed", e);
        }
    }

    /** Checkpoints every stream that moved on since its last checkpoint (each through its lane). */
    private void checkpoint() {
        if (checkpointer != null) {
            checkpointer.all();
        }
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    private static io.argus.agent.net.MetricsServer.Health healthJson(String agentId, AgentRuntime.Admission admission, StreamLanes lanes,
                                     io.argus.agent.exec.StuckWorkerWatchdog watchdog) {
        var body = new java.util.LinkedHashMap<String, Object>();
        java.util.List<String> problems = new java.util.ArrayList<>();
        if (watchdog.degraded()) {
            problems.add(lanes.stuckAlive() + " workers stuck (AgentConfig.maxStuckWorkers): restart the agent");
        }
        body.put("status", problems.isEmpty() ? "ok" : "degraded");
        body.put("problems", problems);
        body.put("agent", agentId);
        body.put("stuck_workers", lanes.stuckAlive());
        body.put("draining", admission.draining());
        body.put("fenced", admission.fenced());
        body.put("queued", lanes.queued());
        try {
            return new io.argus.agent.net.MetricsServer.Health(JSON.writeValueAsString(body), problems.isEmpty());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public String id() {
        return rt.agentId();
    }

    public int port() {
        return server.port();
    }

    /** What this agent sees of the cluster (assignments and their epochs); null without ZooKeeper. */
    public ClusterView view() {
        return view;
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

    /**
     * Graceful shutdown: deregister so that nobody routes here, tell clients Goodbye, let queued
     * frames finish within the drain grace period, then close everything.
     */
    public AgentConfig config() {
        return config;
    }

    /** Decoded frames not yet released (0 when idle; more means a leak of native memory). */
    public long liveFrames() {
        return rt.pipeline().liveFrames();
    }

    /** Managed streams this agent is pulling right now. */
    public java.util.Set<String> managedStreams() {
        return managed == null ? java.util.Set.of() : managed.running();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        long t0 = System.nanoTime();
        rt.admission().startDraining();
        if (registration != null) {
            registration.deregister();
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
        if (managed != null) {
            managed.close();
            lease.close();
        }
        checkpoint(); // the last state, for whoever takes the streams over
        rt.channels().close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        scheduler.shutdownNow();
        watchdog.close();
        rt.lanes().close();
        server.close();
        try {
            if (rt.lanes().awaitTermination(2_000)) {
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
        if (link != null) {
            link.close();
        }
        if (registration != null) {
            registration.close();
        }
        if (view != null) {
            view.close();
        }
        if (curator != null) {
            curator.close();
        }
        log.info("agent {} stopped in {} ms ({} frame(s) abandoned)", rt.agentId(),
                (System.nanoTime() - t0) / 1_000_000, left);
    }

    static String advertiseAddress(String bindHost) {
        if (bindHost != null && !bindHost.equals("0.0.0.0") && !bindHost.equals("::")) {
            return bindHost;
        }
        try {
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nif.isUp() || nif.isLoopback() || nif.isVirtual()) {
                    continue;
                }
                for (InetAddress a : Collections.list(nif.getInetAddresses())) {
                    if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
                        return a.getHostAddress();
                    }
                }
            }
        } catch (SocketException e) {
            log.debug("cannot list interfaces", e);
        }
        return "127.0.0.1";
    }
}
