package io.argus.agent.exec;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Finds workers that have been busy on one job for longer than the task budget plus a grace
 * ({@code AgentConfig.taskBudgetMs + stuckWorkerGraceMs}) and gives them up
 * ({@link StreamLanes#abandonStuck}): the job is answered {@code TIMEOUT}, the thread is
 * interrupted and abandoned (a Java thread cannot be killed, and one stuck in native code does
 * not even notice the interrupt), and a fresh thread takes its place, so the agent's capacity
 * recovers. The cooperative budget ({@link io.argus.agent.task.TaskBudget}) stops slow tasks long
 * before this; the watchdog is for code that never reaches a check.
 *
 * <p>The stream whose job was given up loses its state on this agent ({@code onAbandoned}): the
 * stuck thread may still be changing it, so it can be neither used nor freed. A stateful stream
 * is then no longer open here, and its client reopens it from the coordinators' checkpoint.
 */
public final class StuckWorkerWatchdog implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StuckWorkerWatchdog.class);

    private final StreamLanes lanes;
    private final long stuckAfterNanos;
    private final int maxStuckWorkers;
    private final AgentMetrics metrics;
    private final Consumer<String> onAbandoned;
    private final ScheduledExecutorService timer;

    /**
     * @param stuckAfterMs    a job running longer than this is given up (task budget + grace)
     * @param maxStuckWorkers stuck threads replaced while alive; beyond, none is added and the agent is degraded
     * @param onAbandoned     told the stream of each job given up (the agent forgets its state)
     */
    public StuckWorkerWatchdog(StreamLanes lanes, long stuckAfterMs, int maxStuckWorkers, AgentMetrics metrics,
                               Consumer<String> onAbandoned) {
        this.lanes = lanes;
        this.stuckAfterNanos = TimeUnit.MILLISECONDS.toNanos(stuckAfterMs);
        this.maxStuckWorkers = maxStuckWorkers;
        this.metrics = metrics;
        this.onAbandoned = onAbandoned;
        metrics.gauge("argus.agent.workers.stuck.alive", lanes::stuckAlive);
        metrics.gauge("argus.agent.workers.pool", lanes::poolSize);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "argus-stuck-worker-watchdog");
            t.setDaemon(true);
            return t;
        });
        // a quarter of the threshold, so a stuck worker is found within 1.25 x of it; at most each second
        long period = Math.max(10, Math.min(1_000, stuckAfterMs / 4));
        timer.scheduleWithFixedDelay(this::scan, period, period, TimeUnit.MILLISECONDS);
    }

    /** One look at the workers; returns what it gave up. */
    public List<StreamLanes.Abandoned> scan() {
        try {
            List<StreamLanes.Abandoned> gone = lanes.abandonStuck(stuckAfterNanos, maxStuckWorkers, onAbandoned);
            for (StreamLanes.Abandoned a : gone) {
                metrics.workerStuck();
                log.error("worker on stream {} stuck for {} ms: answered TIMEOUT and {}", a.key(), a.runningMs(),
                        a.replaced() ? "replaced by a fresh worker" : "NOT replaced (" + maxStuckWorkers
                                + " stuck workers alive already, AgentConfig.maxStuckWorkers)");
                onAbandoned.accept(a.key());
            }
            return gone;
        } catch (RuntimeException e) {
            log.error("stuck-worker scan failed", e);
            return List.of();
        }
    }

    /** Whether so many workers are stuck that the agent should be restarted (/healthz degraded). */
    public boolean degraded() {
        int n = lanes.stuckAlive();
        return n > 0 && n >= maxStuckWorkers;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
