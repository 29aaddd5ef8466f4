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
 */
public record LoadBalancerConfig(double high, double low, int sustain, double shedFactor, long checkIntervalMs) {
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

        public LoadBalancerConfig build() {
            return new LoadBalancerConfig(high, low, sustain, shedFactor, checkIntervalMs);
        }
    }
}
