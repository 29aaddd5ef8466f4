package io.argus.agent;

import io.argus.agent.exec.LoadMeter;
import io.argus.agent.net.AgentRuntime;
import io.argus.agent.record.Checkpointer;
import io.argus.agent.registry.AgentRegistration;
import io.argus.cluster.AgentLoad;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The agent's periodic work on one daemon thread: CPU sampling, the load published in the
 * registration ({@link AgentConfig#loadRefreshMs()}), the sweep of idle stream state, and the
 * periodic checkpoint of every stream that moved on
 * ({@link io.argus.agent.state.CheckpointConfig#intervalMs()}, default
 * {@link io.argus.agent.state.CheckpointConfig#DEFAULT_INTERVAL_MS}).
 */
final class AgentMaintenance implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AgentMaintenance.class);
    /** How often idle stream state is looked for; what counts as idle is {@link AgentConfig#stateIdleTimeout()}. */
    static final long IDLE_SWEEP_MS = 30_000;

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "argus-agent-maintenance");
        t.setDaemon(true);
        return t;
    });
    private final AgentRuntime rt;
    private final @Nullable AgentRegistration registration;
    private final @Nullable Checkpointer checkpointer;

    /** {@code registration} and {@code checkpointer} are null for an agent without ZooKeeper. */
    AgentMaintenance(AgentRuntime rt, LoadMeter loadMeter, @Nullable AgentRegistration registration,
                     @Nullable Checkpointer checkpointer) {
        this.rt = rt;
        this.registration = registration;
        this.checkpointer = checkpointer;
        AgentConfig config = rt.config();
        scheduler.scheduleAtFixedRate(loadMeter::sampleCpu, 0, LoadMeter.CPU_SAMPLE_MS, TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(this::refreshLoad, config.loadRefreshMs(), config.loadRefreshMs(),
                TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(this::evictIdle, IDLE_SWEEP_MS, IDLE_SWEEP_MS, TimeUnit.MILLISECONDS);
        if (checkpointer != null) {
            long every = checkpointer.config().intervalMs();
            scheduler.scheduleWithFixedDelay(this::checkpoint, every, every, TimeUnit.MILLISECONDS);
        }
    }

    /** Checkpoints every stream that moved on since its last checkpoint (each through its lane). */
    void checkpoint() {
        if (checkpointer != null) {
            checkpointer.all();
        }
    }

    private void evictIdle() {
        int n = rt.states().evictIdle();
        if (n > 0) {
            log.info("evicted {} idle stream state(s)", n);
        }
    }

    private void refreshLoad() {
        try {
            int workers = rt.config().workers();
            int queued = rt.lanes().queued();
            double fps = rt.load().framesPerSecond();
            AgentLoad l = new AgentLoad(Math.max(0, queued - workers), queued, fps, rt.load().cpu(),
                    rt.states().size(), Math.min(1.5, queued / (double) Math.max(1, workers * 2)));
            if (registration != null) {
                registration.updateLoad(l);
            }
        } catch (RuntimeException e) {
            log.debug("load refresh failed", e);
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
