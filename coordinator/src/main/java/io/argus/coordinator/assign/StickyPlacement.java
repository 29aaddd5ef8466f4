package io.argus.coordinator.assign;

import io.argus.protocol.StatefulTasks;
import io.argus.cluster.AgentInfo;
import io.argus.cluster.Assignment;
import io.argus.cluster.StreamDefinition;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * Sticky placement of streams that keep state on their agent (RELIABILITY.md, "What exactly-once
 * means"). Such a stream stays where it is while that agent is live (registered, not crashed, not
 * draining) and runs its tasks. Load never moves it: a move restores its state elsewhere from a
 * checkpoint and replays frames, and an overloaded agent slows the stream's client down instead.
 *
 * <p><b>Planned rebalance.</b> A stateful stream is moved to where the balanced placement wants it
 * only when that is plainly worth it and has stayed so:
 * <ul>
 *   <li>the placement has wanted the same other agent for it for at least
 *       {@link AssignmentConfig#rebalanceHysteresisMs()} (one minute by default) without a break, so a short-lived agent, a
 *       load blip or a flapping registration moves nothing;</li>
 *   <li>its current agent carries at least {@link AssignmentConfig#rebalanceMinImbalance()} (2) more stateful
 *       streams than the target. After the move the difference is two less, so the reverse move
 *       is not worth it by the same rule: <b>no back and forth</b>;</li>
 *   <li>it has not itself been (re)assigned within the last {@code rebalanceHysteresisMs};</li>
 *   <li>at most {@link AssignmentConfig#rebalanceMovesPerPass()} (1) such move per pass, so the counts are re-read
 *       between moves.</li>
 * </ul>
 * Pending time is kept by the acting leader only: a new leader starts the minute again, which can
 * only delay a move.
 *
 * <p><b>No ping-pong of stateless streams.</b> A stream without state follows the balanced
 * placement, which moves it off an agent that sheds load; but it is not moved back to the agent it
 * left within {@link AssignmentConfig#rebalanceHysteresisMs()} while its new agent is live and runs
 * its tasks. In a 30-minute demo run a loaded agent was "overloaded" and "recovered" every 10-40 s,
 * and its stream went to the other agent and back each time (13 moves in 23 minutes).
 */
final class StickyPlacement {
    private final LongSupplier clockMs;
    /** How long the balanced placement must want a stateful stream elsewhere before it moves. */
    private final long hysteresisMs;
    /** The smallest difference in stateful streams between the two agents that a move corrects. */
    private final int minImbalance;
    /** Planned moves of stateful streams in one placement pass. */
    private final int movesPerPass;
    /** Per stateful stream kept off its balanced agent: that agent and since when it was wanted. */
    private final Map<String, Pending> pending = new HashMap<>();

    private record Pending(String target, long sinceMs) {
    }

    /** Per stateless stream moved by this leader: the agent it left and when. */
    private final Map<String, Left> left = new HashMap<>();

    private record Left(String agent, long atMs) {
    }

    /** With {@link AssignmentConfig#DEFAULT}'s rebalance settings. */
    StickyPlacement(LongSupplier clockMs) {
        this(clockMs, AssignmentConfig.DEFAULT);
    }

    StickyPlacement(LongSupplier clockMs, AssignmentConfig config) {
        this.clockMs = clockMs;
        this.hysteresisMs = config.rebalanceHysteresisMs();
        this.minImbalance = config.rebalanceMinImbalance();
        this.movesPerPass = config.rebalanceMovesPerPass();
    }

    /**
     * The placement to write: the balanced one, with stateful streams kept where they are.
     *
     * @param desired the balanced placement (stream to agent)
     * @param current the assignments in ZooKeeper
     * @param agents  the live agents (crashed ones already left out)
     * @return the placement to write: {@code desired}, with stateful streams kept where they are
     *         unless a planned move is due
     */
    synchronized Map<String, String> apply(Map<String, String> desired, Map<String, StreamDefinition> streams,
                                           Map<String, Assignment> current, List<AgentInfo> agents) {
        long now = clockMs.getAsLong();
        Map<String, AgentInfo> byId = new HashMap<>();
        agents.forEach(a -> byId.put(a.id(), a));
        Map<String, Integer> stateful = new HashMap<>();
        current.forEach((stream, a) -> {
            StreamDefinition def = streams.get(stream);
            if (def != null && StatefulTasks.any(def.taskNames())) {
                stateful.merge(a.agent(), 1, Integer::sum);
            }
        });
        Map<String, String> out = new LinkedHashMap<>(desired);
        Map<String, String> kept = new TreeMap<>(); // sorted: the same move is chosen on every leader
        for (Map.Entry<String, String> e : desired.entrySet()) {
            StreamDefinition def = streams.get(e.getKey());
            Assignment cur = current.get(e.getKey());
            if (def == null || cur == null || cur.agent().equals(e.getValue())
                    || !StatefulTasks.any(def.taskNames())) {
                continue;
            }
            AgentInfo a = byId.get(cur.agent());
            if (a != null && !a.payload().draining() && a.payload().capabilities().containsAll(def.taskNames())) {
                out.put(e.getKey(), cur.agent());
                kept.put(e.getKey(), e.getValue());
            }
        }
        keepAwayFromTheAgentJustLeft(out, desired, streams, current, byId, now);
        pending.keySet().retainAll(kept.keySet());
        int moves = 0;
        for (Map.Entry<String, String> e : kept.entrySet()) {
            String stream = e.getKey();
            String target = e.getValue();
            Pending p = pending.get(stream);
            if (p == null || !p.target().equals(target)) {
                pending.put(stream, new Pending(target, now));
                continue;
            }
            Assignment cur = Objects.requireNonNull(current.get(stream)); // kept streams are current ones
            int from = stateful.getOrDefault(cur.agent(), 0);
            int to = stateful.getOrDefault(target, 0);
            if (moves < movesPerPass && now - p.sinceMs() >= hysteresisMs
                    && now - cur.assignedAtMs() >= hysteresisMs && from - to >= minImbalance) {
                out.put(stream, target);
                pending.remove(stream);
                stateful.merge(cur.agent(), -1, Integer::sum);
                stateful.merge(target, 1, Integer::sum);
                moves++;
            }
        }
        // remember where each stream that moves now leaves from
        left.values().removeIf(l -> now - l.atMs() >= hysteresisMs);
        out.forEach((stream, agent) -> {
            Assignment cur = current.get(stream);
            if (cur != null && !cur.agent().equals(agent)) {
                left.put(stream, new Left(cur.agent(), now));
            }
        });
        return out;
    }

    /** A stateless stream is not sent back to the agent it left within the hysteresis (see the class comment). */
    private void keepAwayFromTheAgentJustLeft(Map<String, String> out, Map<String, String> desired,
                                              Map<String, StreamDefinition> streams, Map<String, Assignment> current,
                                              Map<String, AgentInfo> byId, long now) {
        for (Map.Entry<String, String> e : desired.entrySet()) {
            StreamDefinition def = streams.get(e.getKey());
            Assignment cur = current.get(e.getKey());
            Left l = left.get(e.getKey());
            if (def == null || cur == null || l == null || StatefulTasks.any(def.taskNames())
                    || !l.agent().equals(e.getValue()) || now - l.atMs() >= hysteresisMs) {
                continue;
            }
            AgentInfo a = byId.get(cur.agent());
            if (a != null && !a.payload().draining() && a.payload().capabilities().containsAll(def.taskNames())) {
                out.put(e.getKey(), cur.agent());
            }
        }
    }

    /** Streams waiting for a planned move, for the log and tests. */
    synchronized int pending() {
        return pending.size();
    }
}
