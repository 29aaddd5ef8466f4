package io.argus.coordinator.assign;

import io.argus.coordinator.leader.Leadership;
import io.argus.coordinator.liveness.CrashDetector;
import io.argus.cluster.AgentDirectory;
import io.argus.cluster.AgentInfo;
import io.argus.cluster.Assignment;
import io.argus.cluster.ClusterJson;
import io.argus.cluster.ClusterView;
import io.argus.cluster.StreamDefinition;
import io.argus.cluster.ZkPaths;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.zookeeper.CreateMode;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The leader's assignment loop. Whenever agents or streams change (and every two seconds,
 * {@link LoadBalancerConfig#checkIntervalMs()}, for the load check), it brings {@code /argus/assignments} in line with {@link StreamAssigner}'s
 * placement, writing only the streams whose owner changed. Writes go in ZooKeeper transactions
 * that first check the coordinator's own latch node, so that a coordinator that lost leadership
 * without noticing cannot overwrite its successor's decisions; nothing is written while the
 * connection is SUSPENDED. An agent the {@link CrashDetector} found dead is placed around at once,
 * before ZooKeeper expires its session; its streams' assignments then say {@code "crash"}.
 */
public final class AssignmentService implements Closeable {
    private static final Logger log = LoggerFactory.getLogger(AssignmentService.class);

    private final CuratorFramework curator;
    private final ZkPaths paths;
    private final AgentDirectory directory;
    private final ClusterView view;
    private final Leadership leadership;
    private final CrashDetector crashes;
    private final AssignmentConfig config;
    private final LoadBalancer load;
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "argus-assign");
        t.setDaemon(true);
        return t;
    });
    private final Timer computeTimer;
    private final AtomicLong writes;
    private final AtomicLong transactions = new AtomicLong();
    private final AtomicLong passes = new AtomicLong();
    private volatile long lastComputeNanos;
    private StreamAssigner assigner;
    private final StickyPlacement sticky;
    private final Map<String, Set<String>> known = new HashMap<>();
    private @Nullable ScheduledFuture<?> pending;
    // what the last pass placed from (loop thread only): a pass over the same input is skipped
    private List<Object> lastMembership = List.of();
    private Map<String, StreamDefinition> lastStreams = Map.of();
    private boolean forced = true;
    private long lastFullPassNanos = System.nanoTime();
    private final Runnable trigger = this::schedule;

    public AssignmentService(CuratorFramework curator, ZkPaths paths, AgentDirectory directory, ClusterView view,
                             Leadership leadership, MeterRegistry metrics, CrashDetector crashes) {
        this(curator, paths, directory, view, leadership, metrics, crashes, AssignmentConfig.DEFAULT);
    }

    public AssignmentService(CuratorFramework curator, ZkPaths paths, AgentDirectory directory, ClusterView view,
                             Leadership leadership, MeterRegistry metrics, CrashDetector crashes,
                             AssignmentConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.load = new LoadBalancer(config.loadBalancer());
        this.assigner = new StreamAssigner(config.loadBound());
        this.sticky = new StickyPlacement(System::currentTimeMillis, config);
        this.crashes = crashes;
        this.curator = curator;
        this.paths = paths;
        this.directory = directory;
        this.view = view;
        this.leadership = leadership;
        this.computeTimer = Timer.builder("argus.coordinator.assignment.compute").register(metrics);
        this.writes = metrics.gauge("argus.coordinator.assignment.writes", new AtomicLong());
    }

    public void start() {
        directory.addListener(trigger);
        view.addListener(trigger);
        crashes.addListener(trigger);
        leadership.addListener(acting -> {
            if (acting) {
                loop.execute(this::resetAndSync); // a new leader starts from what ZooKeeper says
            }
        });
        long every = config.loadBalancer().checkIntervalMs();
        loop.scheduleWithFixedDelay(this::checkLoad, every, every, TimeUnit.MILLISECONDS);
        schedule();
    }

    /** Coalesces bursts of changes (an agent leaving fires several watches) into one pass. */
    private synchronized void schedule() {
        if (pending == null || pending.isDone()) {
            pending = loop.schedule(this::sync, config.coalesceMs(), TimeUnit.MILLISECONDS);
        }
    }

    private void resetAndSync() {
        assigner = new StreamAssigner(config.loadBound());
        known.clear();
        forced = true;
        sync();
    }

    /** What placement reads of the agents: who is there, what they run, their weight. Not their load. */
    private static List<Object> membership(List<AgentInfo> agents) {
        List<Object> out = new ArrayList<>(agents.size() * 4);
        for (AgentInfo a : agents) {
            out.add(a.id());
            out.add(a.payload().capabilities());
            out.add(a.payload().workers());
            out.add(a.payload().startedAtMs());
        }
        return out;
    }

    private void checkLoad() {
        if (!leadership.acting()) {
            return;
        }
        if (System.nanoTime() - lastFullPassNanos > TimeUnit.MILLISECONDS.toNanos(config.reconcileMs())) {
            forced = true;
            sync();
        }
        try {
            Map<String, Double> changes = load.check(directory.agents());
            if (!changes.isEmpty()) {
                changes.forEach((agent, factor) -> {
                    if (factor < 1) {
                        log.info("agent {} is overloaded: shedding streams; it takes them back after {} quiet load checks",
                                agent, load.unshedChecks(agent));
                    } else {
                        log.info("agent {} recovered", agent);
                    }
                    assigner.setFactor(agent, factor);
                });
                forced = true;
                sync();
            }
        } catch (RuntimeException e) {
            log.warn("load check failed", e);
        }
    }

    /** The streams that run somewhere: all but replayed recordings' names, which only reserve a name. */
    static Map<String, StreamDefinition> placeable(Map<String, StreamDefinition> streams) {
        if (streams.values().stream().noneMatch(StreamDefinition::replayName)) {
            return streams; // the same map as the view's: the pass's unchanged test stays cheap
        }
        Map<String, StreamDefinition> out = new java.util.LinkedHashMap<>();
        streams.forEach((id, s) -> {
            if (!s.replayName()) {
                out.put(id, s);
            }
        });
        return out;
    }

    /** One pass: agents and streams from the caches, placement, then the writes that differ. */
    @SuppressWarnings("ReferenceEquality") // the very node parsed last pass, not an equal one: a cheap unchanged test
    void sync() {
        if (!leadership.acting()) {
            return;
        }
        try {
            long t0 = System.nanoTime();
            // a crashed agent is still in discovery until its session expires: place around it now
            List<AgentInfo> agents = directory.agents().stream().filter(a -> !crashes.crashed(a)).toList();
            Map<String, StreamDefinition> streams = placeable(view.streams());
            List<Object> membership = membership(agents);
            if (membership.equals(lastMembership) && streams.equals(lastStreams) && !forced) {
                // an agent's load refresh (every agent, every 1-2 s) changes nothing placement
                // reads: skip the pass; load shedding has its own check, which forces one
                return;
            }
            forced = false;
            assigner.syncAgents(agents);
            for (String gone : new ArrayList<>(known.keySet())) {
                if (!streams.containsKey(gone)) {
                    assigner.removeStream(gone);
                    known.remove(gone);
                }
            }
            for (StreamDefinition s : streams.values()) {
                Set<String> prev = known.get(s.id());
                if (prev != null && lastStreams.get(s.id()) == s) {
                    continue; // the same parsed node as last pass: nothing to compare
                }
                Set<String> tasks = new HashSet<>(s.taskNames());
                if (!tasks.equals(prev)) {
                    known.put(s.id(), tasks);
                    StreamDefinition.ReplaySegment segment = s.replay();
                    // a replay's segments are spread evenly: finite work, all meant to run at once
                    assigner.putStream(new StreamAssigner.StreamNeed(s.id(), tasks, segment == null ? null : segment.recording()));
                }
            }
            Map<String, String> desired = sticky.apply(assigner.assignments(), streams, view.assignments(), agents);
            lastComputeNanos = System.nanoTime() - t0;
            passes.incrementAndGet();
            computeTimer.record(lastComputeNanos, TimeUnit.NANOSECONDS);
            write(desired, view.assignments(), agents);
            lastMembership = membership;
            lastStreams = streams;
            lastFullPassNanos = System.nanoTime();
        } catch (Exception e) {
            if (loop.isShutdown()) {
                // close() interrupts a pass that is writing: the coordinator is stopping, not failing
                log.debug("assignment pass interrupted by shutdown", e);
                return;
            }
            forced = true;
            log.warn("assignment pass failed; retrying", e);
            loop.schedule(this::sync, config.retryMs(), TimeUnit.MILLISECONDS);
        }
    }

    private void write(Map<String, String> desired, Map<String, Assignment> current, List<AgentInfo> agents)
            throws Exception {
        Set<String> live = new HashSet<>();
        agents.forEach(a -> live.add(a.id()));
        Set<String> crashedIds = new HashSet<>();
        directory.allAgents().stream().filter(crashes::crashed).forEach(a -> crashedIds.add(a.id()));
        List<CuratorOp> ops = new ArrayList<>();
        long now = System.currentTimeMillis();
        for (Map.Entry<String, String> e : desired.entrySet()) {
            Assignment cur = current.get(e.getKey());
            if (cur != null && cur.agent().equals(e.getValue())) {
                continue;
            }
            String reason = cur == null ? "rendezvous" : crashedIds.contains(cur.agent()) ? "crash"
                    : !live.contains(cur.agent()) ? "failover"
                    : load.shedding(cur.agent()) ? "load" : "rebalance";
            byte[] data = ClusterJson.write(new Assignment(e.getValue(), reason, now, leadership.id()));
            String path = paths.assignment(e.getKey());
            ops.add(cur == null
                    ? curator.transactionOp().create().withMode(CreateMode.PERSISTENT).forPath(path, data)
                    : curator.transactionOp().setData().forPath(path, data));
        }
        for (String s : current.keySet()) {
            if (!desired.containsKey(s)) {
                ops.add(curator.transactionOp().delete().forPath(paths.assignment(s)));
            }
        }
        if (ops.isEmpty()) {
            return;
        }
        String fence = leadership.latchPath();
        if (fence == null || !leadership.acting()) {
            return;
        }
        if (curator.checkExists().forPath(paths.assignments()) == null) {
            curator.create().creatingParentsIfNeeded().forPath(paths.assignments());
        }
        int perTransaction = config.transactionOps();
        for (int i = 0; i < ops.size(); i += perTransaction) {
            List<CuratorOp> batch = new ArrayList<>();
            batch.add(curator.transactionOp().check().forPath(fence));
            batch.addAll(ops.subList(i, Math.min(ops.size(), i + perTransaction)));
            curator.transaction().forOperations(batch);
            transactions.incrementAndGet();
        }
        writes.addAndGet(ops.size());
        log.info("assignments: {} change(s) written", ops.size());
    }

    /** For tests and the scale benchmark. */
    public StreamAssigner assigner() {
        return assigner;
    }

    /** Assignment operations written to ZooKeeper since start (creates, updates, deletes). */
    public long operationsWritten() {
        return writes.get();
    }

    /** ZooKeeper transactions those operations went in (up to {@link AssignmentConfig#transactionOps()} each, plus the fence check). */
    public long transactionsWritten() {
        return transactions.get();
    }

    /** Placement passes computed (each change of agents or streams, coalesced over {@link AssignmentConfig#coalesceMs()}). */
    public long passes() {
        return passes.get();
    }

    /** How long the last placement took to compute, before writing. */
    public long lastComputeNanos() {
        return lastComputeNanos;
    }

    @Override
    public void close() {
        directory.removeListener(trigger);
        view.removeListener(trigger);
        loop.shutdownNow();
    }
}
