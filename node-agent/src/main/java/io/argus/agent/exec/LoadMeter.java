package io.argus.agent.exec;

import java.lang.management.ManagementFactory;
import org.jspecify.annotations.Nullable;

/**
 * Frames per second over the last few seconds, and process CPU use: the load figures the agent
 * publishes and the shedder reads. Per-second buckets in a ring, so reading is O(buckets) and
 * recording is a single increment.
 */
public final class LoadMeter {
    private static final int BUCKETS = 5;
    private final long[] counts = new long[BUCKETS];
    private final long[] seconds = new long[BUCKETS];
    private final com.sun.management.@Nullable OperatingSystemMXBean os;

    public LoadMeter() {
        java.lang.management.OperatingSystemMXBean bean = ManagementFactory.getOperatingSystemMXBean();
        this.os = bean instanceof com.sun.management.OperatingSystemMXBean s ? s : null;
    }

    public synchronized void record() {
        long sec = System.nanoTime() / 1_000_000_000L;
        int i = (int) (sec % BUCKETS);
        if (seconds[i] != sec) {
            seconds[i] = sec;
            counts[i] = 0;
        }
        counts[i]++;
    }

    /** Completions per second over the last full seconds. */
    public synchronized double framesPerSecond() {
        long now = System.nanoTime() / 1_000_000_000L;
        long total = 0;
        for (int i = 0; i < BUCKETS; i++) {
            if (seconds[i] < now && seconds[i] >= now - (BUCKETS - 1)) {
                total += counts[i];
            }
        }
        return total / (double) (BUCKETS - 1);
    }

    /** EMA weight of the previous value, as go-zero's CPU sampler (250 ms samples, beta 0.95). */
    static final double CPU_BETA = 0.95;
    public static final long CPU_SAMPLE_MS = 250;
    private volatile double systemCpu;

    private final int cores = Runtime.getRuntime().availableProcessors();
    /** This meter's own baseline for the process's CPU time (only the sampling thread touches it). */
    private long lastCpuNs = -1;
    private long lastWallNs;
    private volatile double processCpu = -1;

    /**
     * Takes one system and one process CPU sample into the moving averages; called every
     * {@link #CPU_SAMPLE_MS}. The process share comes from the cumulative CPU time against this
     * meter's own previous sample. {@code getProcessCpuLoad()} measures since the previous call by
     * anyone in the JVM: with two agents in one process (the demo) each read a few milliseconds of
     * ticks and the console showed "CPU 0%" for an agent doing 20 frames/s.
     */
    public void sampleCpu() {
        double now = os == null ? -1 : os.getCpuLoad();
        if (now >= 0) {
            systemCpu = systemCpu * CPU_BETA + now * (1 - CPU_BETA);
        }
        long cpuNs = os == null ? -1 : os.getProcessCpuTime();
        long wallNs = System.nanoTime();
        if (cpuNs < 0) {
            return;
        }
        if (lastCpuNs >= 0 && wallNs > lastWallNs) {
            double share = Math.min(1, Math.max(0, (cpuNs - lastCpuNs) / ((double) (wallNs - lastWallNs) * cores)));
            double before = processCpu;
            processCpu = before < 0 ? share : before * CPU_BETA + share * (1 - CPU_BETA);
        }
        lastCpuNs = cpuNs;
        lastWallNs = wallNs;
    }

    /** Smoothed CPU use of the whole machine (the agent competes with everything on it), 0..1. */
    public double systemCpu() {
        return systemCpu;
    }

    /** Smoothed CPU use of this process over all cores, 0..1, or -1 before two samples (or if unknown). */
    public double cpu() {
        return processCpu;
    }
}
