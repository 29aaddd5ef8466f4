package io.argus.agent.registry;

import io.argus.agent.net.OwnershipCheck;
import io.argus.cluster.Assignment;
import io.argus.cluster.ClusterView;

import org.apache.curator.framework.CuratorFramework;
import org.jspecify.annotations.Nullable;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Ownership of client-fed streams by the coordinator's assignment and this agent's
 * {@link OwnershipLease}:
 * <ul>
 *   <li>no assignment (no coordinator, or not placed yet): the client chose by rendezvous, and the
 *       frame is applied;</li>
 *   <li>the assignment names another agent under an epoch at least the frame's, and that agent is
 *       registered: refused. (An agent whose registration is gone has lost its session, so its own
 *       lease has lapsed and it applies nothing; refusing here too would stop the stream for good
 *       when no coordinator is left to reassign it.) A frame
 *       that carries a larger epoch was routed by an assignment this agent has not seen yet (its
 *       view lags the client's), and that assignment names this agent, since the client sent it
 *       here: applied;</li>
 *   <li>the assignment names this agent but the lease has lapsed (a frozen process that woke up,
 *       or ZooKeeper unreachable): refused until the lease is renewed, because another agent may
 *       already own the stream under a newer epoch that this agent cannot see.</li>
 * </ul>
 * Reads only the local caches, so it costs no round trip per frame.
 */
public final class AssignmentOwnership implements OwnershipCheck {
    /** How long an answer to "is that agent registered?" is reused: refusals come in bursts of a window. */
    public static final long LIVENESS_MEMO_MS = 1_000;
    /** The longest a worker waits for that answer; unanswered counts as registered (the safe side). */
    public static final long LIVENESS_WAIT_MS = 200;

    private final String agentId;
    private final ClusterView view;
    private final CuratorFramework curator;
    private final String agentsPath;
    private final LongSupplier clock;
    private final Map<String, long[]> liveness = new ConcurrentHashMap<>();
    private volatile @Nullable OwnershipLease lease;

    /**
     * @param agentsPath the parent of the agents' registration nodes
     * @param clock      nanoseconds, monotonic
     */
    public AssignmentOwnership(String agentId, ClusterView view, CuratorFramework curator, String agentsPath,
                               LongSupplier clock) {
        this.agentId = agentId;
        this.view = view;
        this.curator = curator;
        this.agentsPath = agentsPath;
        this.clock = clock;
    }

    /** The lease exists only once the agent is registered; until then the assignment alone decides. */
    public void lease(OwnershipLease lease) {
        this.lease = lease;
    }

    @Override
    public @Nullable String refusal(String stream, long frameEpoch) {
        Optional<Assignment> a = view.assignment(stream);
        if (a.isEmpty()) {
            return null;
        }
        long current = view.currentEpoch(stream);
        String owner = a.get().agent();
        if (!agentId.equals(owner)) {
            return current >= frameEpoch && registered(owner)
                    ? "stream " + stream + " is assigned to " + owner + " (epoch " + current + ")"
                    : null;
        }
        OwnershipLease l = lease;
        if (l != null && !l.valid()) {
            return "this agent cannot confirm that it still owns " + stream
                    + ": its ownership lease lapsed (ZooKeeper unreachable, or the process was frozen)";
        }
        return null;
    }

    /** Whether {@code agent}'s registration node exists; asked only on the refusal path, and memoised. */
    private boolean registered(String agent) {
        long now = clock.getAsLong();
        long[] memo = liveness.get(agent);
        if (memo != null && now - memo[0] < TimeUnit.MILLISECONDS.toNanos(LIVENESS_MEMO_MS)) {
            return memo[1] != 0;
        }
        boolean live = true;
        try {
            live = BoundedRead.exists(curator, agentsPath + "/" + agent, LIVENESS_WAIT_MS) != null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            live = true; // unanswered counts as registered: the safe side
        }
        liveness.put(agent, new long[] {now, live ? 1 : 0});
        return live;
    }
}
