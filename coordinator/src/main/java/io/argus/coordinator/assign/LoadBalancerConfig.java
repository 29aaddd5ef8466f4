package io.argus.coordinator.assign;

import io.argus.protocol.util.SettingRange;

/**
 * When the leader moves streams off an overloaded agent ({@link LoadBalancer}). Immutable; build one
 * with {@link #builder()}; every setting is range-checked, a value outside its range is an error.
 *
 * @param high            utilisation above which an agent counts as overloaded; default {@link #DEFAULT_HIGH}; (0, 1]
 * @param low             utilisation below which an agent has room for others' streams; default
 *                        {@link #DEFAULT_LOW}; [0, high)
 * @param sustain         consecutive load checks a condition must hold before shedding starts or
 *                        stops; default {@link #DEFAULT_SUSTAIN}; 1 to 100
 * @param shedFactor      what a shedding agent's placement weight is multiplied by; default
 *                        {@link #DEFAULT_SHED_FACTOR}; (0, 1)
 * @param checkIntervalMs time between load checks on the leader; default {@link #DEFAULT_CHECK_INTERVAL_MS}; 100 ms to 60 s
 * @param flapWindowMs    an agent that starts shedding again within this time of taking its streams back is
 *                        flapping: the quiet time it needs before taking them back next doubles; default
 *                        {@link #DEFAULT_FLAP_WINDOW_MS}; 0 (no damping) to 1 hour
 * @param maxUnshedDelayMs the longest quiet time a flapping agent needs before taking its streams back;
 *                        default {@link #DEFAULT_MAX_UNSHED_DELAY_MS}; 0 to 1 hour (never fewer than
 *                        {@code sustain} checks, whatever this says: damping only lengthens the wait)
 */
public record LoadBalancerConfig(double high, double low, int sustain, double shedFactor, long checkIntervalMs,
                                 long flapWindowMs, long maxUnshedDelayMs) {
    /**
     * 0.9: an agent whose reported utilisation is above this is overloaded. Below 1, so that
     * shedding starts while the agent still answers its frames, not once its queues are full.
     */
    public static final double DEFAULT_HIGH = 0.9;
    /**
     * 0.6: an agent below this has room to take streams. Shedding only starts if some other agent
     * is below it: when every agent is overloaded, moving streams helps no one.
     */
    public static final double DEFAULT_LOW = 0.6;
    /** 3 checks (6 s at the default interval): one busy second, or a GC pause, moves nothing. */
    public static final int DEFAULT_SUSTAIN = 3;
    /** 0.5: halving the weight moves about half of the agent's streams (rendezvous picks which). */
    public static final double DEFAULT_SHED_FACTOR = 0.5;
    /** 2000 ms: agents refresh their load every 1-2 s, so a faster check would read the same figures. */
    public static final long DEFAULT_CHECK_INTERVAL_MS = 2_000;
    /**
     * 5 minutes. Taking streams back can only be judged by doing it: the estimate (utilisation
     * scaled by {@code 1 / shedFactor}) misses load that is not the agent's own, such as other
     * processes on the same cores. In a 30-minute demo run an agent took its streams back, was
     * overloaded again within seconds and shed them again, every 66-94 s. Each such re-shed within
     * this window doubles the quiet time needed next (as route-flap damping does), and a window
     * without one forgets the history.
     */
    public static final long DEFAULT_FLAP_WINDOW_MS = 300_000;
    /** 10 minutes: the quiet time a flapping agent needs stops doubling here, so it still takes its streams back. */
    public static final long DEFAULT_MAX_UNSHED_DELAY_MS = 600_000;

    public static final LoadBalancerConfig DEFAULT = builder().build();

    public LoadBalancerConfig {
        SettingRange.check("high", high, Double.MIN_VALUE, 1);
        SettingRange.check("low", low, 0, 1);
        if (!(low < high)) {
            throw new IllegalArgumentException("low = " + low + " must be below high = " + high);
        }
        SettingRange.check("sustain", sustain, 1, 100);
        SettingRange.check("shedFactor", shedFactor, Double.MIN_VALUE, 0.99);
        SettingRange.check("checkIntervalMs", checkIntervalMs, 100, 60_000);
        SettingRange.check("flapWindowMs", flapWindowMs, 0, 3_600_000);
        SettingRange.check("maxUnshedDelayMs", maxUnshedDelayMs, 0, 3_600_000);
    }

    /** Load checks in {@code ms}, rounded up: how the balancer, which counts checks, reads a time. */
    int checks(long ms) {
        return (int) Math.min(Integer.MAX_VALUE, (ms + checkIntervalMs - 1) / checkIntervalMs);
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private double high = DEFAULT_HIGH;
        private double low = DEFAULT_LOW;
        private int sustain = DEFAULT_SUSTAIN;
        private double shedFactor = DEFAULT_SHED_FACTOR;
        private long checkIntervalMs = DEFAULT_CHECK_INTERVAL_MS;
        private long flapWindowMs = DEFAULT_FLAP_WINDOW_MS;
        private long maxUnshedDelayMs = DEFAULT_MAX_UNSHED_DELAY_MS;

        public Builder high(double v) {
            this.high = v;
            return this;
        }

        public Builder low(double v) {
            this.low = v;
            return this;
        }

        public Builder sustain(int v) {
            this.sustain = v;
            return this;
        }

        public Builder shedFactor(double v) {
            this.shedFactor = v;
            return this;
        }

        public Builder checkIntervalMs(long v) {
            this.checkIntervalMs = v;
            return this;
        }

        public Builder flapWindowMs(long v) {
            this.flapWindowMs = v;
            return this;
        }

        public Builder maxUnshedDelayMs(long v) {
            this.maxUnshedDelayMs = v;
            return this;
        }

        public LoadBalancerConfig build() {
            return new LoadBalancerConfig(high, low, sustain, shedFactor, checkIntervalMs, flapWindowMs,
                    maxUnshedDelayMs);
        }
    }
}
