package io.argus.agent.exec;

import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Adaptive load shedding for an agent: a port of go-zero's {@code core/load/adaptiveshedder.go}
 * (MIT licence), because no JVM library implements this algorithm (Resilience4j's bulkhead and
 * rate limiter use fixed limits, which would need tuning per machine and per task mix).
 *
 * <p>The agent refuses a frame ({@code OVERLOADED}) only when both hold:
 * <ol>
 *   <li>the machine is overloaded: CPU at or above the threshold (default 90%), or a frame was shed
 *       less than {@link #COOL_OFF_NANOS} ago (so shedding does not flap on every CPU sample);</li>
 *   <li>more frames are in flight than the agent has shown it can carry: both the current and the
 *       smoothed in-flight counts exceed {@code maxPass x bucketsPerSecond x minRt}, scaled down as
 *       CPU climbs past the threshold (never below 10% of it). {@code maxPass} is the most frames
 *       completed in one bucket and {@code minRt} the lowest mean time in flight of a bucket, both
 *       over the last 5 s: together they are the capacity measured on this machine for the
 *       current task mix, with nothing to configure.</li>
 * </ol>
 * CPU alone never sheds: a busy agent that keeps up gets no refusals. In-flight alone never sheds:
 * a queue on an idle machine is the client's window, not overload.
 *
 * <p>Differences from go-zero: time comes from an injected nanosecond clock and CPU from an
 * injected supplier (0..1), so that tests can drive both; the rolling windows are
 * {@link RollingWindow} (50 buckets of 100 ms, as in go-zero). Thread-safe: {@link #allow} is called
 * on Netty event loops and must never block; completions come from workers.
 */
public final class AdaptiveShedder {
    /** After a shed, keep treating the machine as hot this long, as go-zero does. */
    public static final long COOL_OFF_NANOS = TimeUnit.SECONDS.toNanos(1);
    static final int BUCKETS = 50;
    static final long BUCKET_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    static final double FLYING_BETA = 0.9;
    static final double MIN_OVERLOAD_FACTOR = 0.1;
    /** go-zero's default minimum response time when no bucket has data yet. */
    static final double DEFAULT_MIN_RT_MS = 1_000;

    private final double cpuThreshold;
    private final DoubleSupplier cpu;
    private final LongSupplier clock;
    private final RollingWindow passes;
    private final RollingWindow rts;
    private final long bucketsPerSecond = TimeUnit.SECONDS.toNanos(1) / BUCKET_NANOS;
    private long flying;
    private double avgFlying;
    private long droppedAt = Long.MIN_VALUE;
    private boolean droppedRecently;

    /**
     * @param cpuThreshold CPU load (0..1] from which shedding may start; 0 disables shedding
     * @param cpu          current CPU load of the machine, 0..1 (smoothed by the caller)
     * @param clock        monotonic nanoseconds
     */
    public AdaptiveShedder(double cpuThreshold, DoubleSupplier cpu, LongSupplier clock) {
        if (cpuThreshold < 0 || cpuThreshold > 1) {
            throw new IllegalArgumentException("cpu threshold must be in [0, 1]: " + cpuThreshold);
        }
        this.cpuThreshold = cpuThreshold;
        this.cpu = cpu;
        this.clock = clock;
        this.passes = new RollingWindow(BUCKETS, BUCKET_NANOS, clock);
        this.rts = new RollingWindow(BUCKETS, BUCKET_NANOS, clock);
    }

    /** One admitted frame; exactly one of {@link #pass} or {@link #fail} must be called. */
    public final class Ticket {
        private final long startNanos = clock.getAsLong();
        private boolean done;

        /** The frame was processed: its time in flight feeds the capacity estimate. */
        public void pass() {
            if (finish()) {
                double rtMs = Math.ceil((clock.getAsLong() - startNanos) / 1e6);
                rts.add(rtMs);
                passes.add(1);
            }
        }

        /** The frame failed or was dropped: it leaves flight without teaching anything. */
        public void fail() {
            finish();
        }

        private boolean finish() {
            synchronized (AdaptiveShedder.this) {
                if (done) {
                    return false;
                }
                done = true;
                flying--;
                avgFlying = avgFlying * FLYING_BETA + flying * (1 - FLYING_BETA);
                return true;
            }
        }
    }

    /**
     * Admits a frame, or returns null when it must be shed. The caller answers a null with
     * {@code OVERLOADED} and {@link #describe()}.
     */
    public @Nullable Ticket allow() {
        if (cpuThreshold > 0 && shouldDrop()) {
            synchronized (this) {
                droppedAt = clock.getAsLong();
                droppedRecently = true;
            }
            return null;
        }
        synchronized (this) {
            flying++;
        }
        return new Ticket();
    }

    /**
     * Admits a frame that must not be shed (a recording: its client waits for credit instead, so
     * that every frame is applied in order). It still counts in flight and teaches capacity.
     */
    public Ticket admit() {
        synchronized (this) {
            flying++;
        }
        return new Ticket();
    }

    /** True while the agent sheds or has shed within the cool-off: results say they are degraded. */
    public synchronized boolean hot() {
        if (!droppedRecently) {
            return false;
        }
        boolean hot = clock.getAsLong() - droppedAt < COOL_OFF_NANOS;
        if (!hot) {
            droppedRecently = false;
        }
        return hot;
    }

    public synchronized long inFlight() {
        return flying;
    }

    /** Frames in flight the agent currently accepts before it sheds (at the present CPU load). */
    public double allowedInFlight() {
        return maxFlight() * overloadFactor();
    }

    /** For the refusal message: why the frame was shed. */
    public String describe() {
        return String.format("agent shedding load: cpu %.0f%% (threshold %.0f%%), %d frames in flight, "
                + "capacity %.1f", cpu.getAsDouble() * 100, cpuThreshold * 100, inFlight(), allowedInFlight());
    }

    private boolean shouldDrop() {
        if (cpu.getAsDouble() >= cpuThreshold || hot()) {
            return highThroughput();
        }
        return false;
    }

    private boolean highThroughput() {
        double max = allowedInFlight();
        synchronized (this) {
            return avgFlying > max && flying > max;
        }
    }

    private double maxFlight() {
        double maxPass = Math.max(1, passes.maxSum(true));
        double minRt = rts.minMean(true, DEFAULT_MIN_RT_MS);
        return Math.max(1, maxPass * bucketsPerSecond * (minRt / 1e3));
    }

    private double overloadFactor() {
        double factor = (1 - cpu.getAsDouble()) / (1 - Math.min(cpuThreshold, 0.999));
        return Math.max(MIN_OVERLOAD_FACTOR, Math.min(1, factor));
    }
}
