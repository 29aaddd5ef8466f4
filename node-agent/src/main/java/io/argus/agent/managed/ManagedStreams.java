package io.argus.agent.managed;

import io.argus.agent.net.AgentRuntime;
import io.argus.agent.record.StateClient;
import io.argus.agent.registry.OwnershipLease;
import io.argus.cluster.Assignment;
import io.argus.cluster.ClusterView;
import io.argus.cluster.SourcePolicy;
import io.argus.cluster.StreamDefinition;
import io.argus.cluster.ZkPaths;
import org.apache.curator.framework.CuratorFramework;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Executors;

/**
 * Runs the managed streams assigned to this agent: for each stream registered with a source whose
 * assignment names this agent, a {@link ManagedRunner} pulls the source and processes it here, with
 * no console involved. When the assignment moves away, the runner stops; when it moves here (the
 * previous owner died), the new runner first restores the stream's last checkpoint from the
 * coordinator, so totals continue.
 */
public final class ManagedStreams implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ManagedStreams.class);
    private final AgentRuntime rt;
    private final ClusterView view;
    private final StateClient states;
    private final OwnershipLease lease;
    private final Supplier<SourcePolicy> policy;
    private final ManagedStatusReporter status;
    private final Map<String, ManagedRunner> runners = new HashMap<>();
    private final ScheduledExecutorService reconciler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "argus-managed-reconcile");
        t.setDaemon(true);
        return t;
    });
    @SuppressWarnings("UnnecessaryLambda") // one instance: added to the view and the fence, removed by identity
    private final Runnable listener = () -> reconciler.execute(this::reconcile);
    private volatile boolean closed;
    /** How long after a runner's thread ended its stream is reconciled (started again if it should run). */
    static final long RESTART_PAUSE_MS = 200;
    /**
     * Replay segments read at once here: one per worker. A replay's segments are all assigned at
     * once, several to an agent; the others wait (STARTING) instead of each holding a decoder and a
     * state while the workers are busy.
     */
    private final Semaphore replaySlots;

    /**
     * @param lease  whether this agent can be sure it still owns its assignments (null: always)
     * @param policy the administrator's source allow-list, read before each source is opened
     * @param curator where each stream's state is reported ({@link ManagedStatusReporter})
     */
    public ManagedStreams(AgentRuntime rt, ClusterView view, StateClient states,
                          OwnershipLease lease, Supplier<SourcePolicy> policy, CuratorFramework curator, ZkPaths paths) {
        this.status = new ManagedStatusReporter(curator, paths, rt.agentId());
        this.lease = lease;
        this.policy = policy;
        this.rt = rt;
        this.view = view;
        this.states = states;
        this.replaySlots = new Semaphore(Math.max(1, rt.config().workers()), true);
    }

    public void start() {
        view.addListener(listener);
        rt.admission().onFenceChange(listener);
        reconciler.execute(this::reconcile);
    }

    public synchronized Set<String> running() {
        return new HashSet<>(runners.keySet());
    }

    private synchronized void reconcile() {
        if (closed) {
            return;
        }
        Map<String, Assignment> assignments = view.assignments();
        Map<String, StreamDefinition> desired = new HashMap<>();
        for (StreamDefinition s : view.streams().values()) {
            Assignment a = assignments.get(s.id());
            // a fenced agent owns nothing: the stream may already run on its next owner
            if (s.managed() && a != null && a.agent().equals(rt.agentId()) && !rt.admission().draining()
                    && !rt.admission().fenced() && rt.tasks().names().containsAll(s.taskNames())) {
                desired.put(s.id(), s);
            }
        }
        for (String id : new HashSet<>(runners.keySet())) {
            ManagedRunner r = Objects.requireNonNull(runners.get(id)); // a key of the copy above
            StreamDefinition want = desired.get(id);
            boolean moved = want != null && view.epoch(id, rt.agentId()) != r.epoch();
            // a runner that is done (read to its end, or given up: FAILED) stays, so that it is not
            // started again at once; a change of the stream's definition (added again) restarts it
            if (want == null || !want.equals(r.definition()) || moved || (!r.alive() && !r.done())) {
                log.info("managed stream {}: stopping here ({})", id, rt.admission().fenced() ? "fenced"
                        : want == null ? "assigned elsewhere" : moved ? "assigned again, under a new epoch"
                        : r.alive() ? "changed" : "its runner stopped");
                r.stop();
                runners.remove(id);
                status.clear(id);
            }
        }
        for (StreamDefinition s : desired.values()) {
            if (!runners.containsKey(s.id())) {
                log.info("managed stream {}: starting here from {}", s.id(), s.source());
                ManagedRunner r = new ManagedRunner(s, rt, view, states, lease, view.epoch(s.id(), rt.agentId()),
                        policy, status, replaySlots, this::runnerEnded);
                runners.put(s.id(), r);
                r.start();
            }
        }
    }

    /**
     * A runner's thread ended: reconcile, so that one that ended without finishing (not stopped
     * here) starts again now. Before, it waited for the next change of the cluster view, and
     * after a ZooKeeper outage that was the last change, so a recording stopped for good
     * (ManagedStreamFaultTest, about one run in three).
     */
    private void runnerEnded() {
        if (!closed) {
            try {
                // after a pause: a runner that keeps ending at once must not spin
                reconciler.schedule(this::reconcile, RESTART_PAUSE_MS, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // closing: nothing to restart
            }
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        view.removeListener(listener);
        runners.values().forEach(ManagedRunner::stop);
        runners.clear();
        reconciler.shutdownNow();
        status.close(); // the reports are ephemeral: they go with the agent's session
    }
}
