package io.argus.coordinator.assign;

import io.argus.protocol.util.SettingRange;

import java.util.Objects;

/**
 * How the leader places streams ({@link AssignmentService}, {@link StreamAssigner},
 * {@link StickyPlacement}) and when it sheds load ({@link LoadBalancerConfig}). Immutable; build one
 * with {@link #builder()}; every setting is range-checked, a value outside its range is an error.
 *
 * @param coalesceMs              a change of agents or streams waits this long for others before a
 *                                placement pass; default {@link #DEFAULT_COALESCE_MS}; 0 to 10 s
 * @param retryMs                 a failed pass is tried again after this long; default {@link #DEFAULT_RETRY_MS}; 10 ms to 60 s
 * @param reconcileMs             a full pass runs at least this often even when nothing placement reads
 *                                changed; default {@link #DEFAULT_RECONCILE_MS}; 1 s to 1 h
 * @param transactionOps          assignment writes per ZooKeeper transaction; default
 *                                {@link #DEFAULT_TRANSACTION_OPS}; 1 to 5,000
 * @param loadBound               how far above its share an agent may be loaded; default {@link #DEFAULT_LOAD_BOUND}; 1 to 100
 * @param rebalanceHysteresisMs   how long a stateful stream must be wanted elsewhere before it moves;
 *                                default {@link #DEFAULT_REBALANCE_HYSTERESIS_MS}; 0 to 1 day
 * @param rebalanceMinImbalance   the stateful-stream difference a planned move corrects; default
 *                                {@link #DEFAULT_REBALANCE_MIN_IMBALANCE}; 2 to 1,000,000 (below 2 moves flap)
 * @param rebalanceMovesPerPass   planned moves of stateful streams per pass; default
 *                                {@link #DEFAULT_REBALANCE_MOVES_PER_PASS}; 0 (never) to 10,000
 * @param loadBalancer            load shedding; default {@link LoadBalancerConfig#DEFAULT}
 */
public record AssignmentConfig(long coalesceMs, long retryMs, long reconcileMs, int transactionOps, double loadBound,
                               long rebalanceHysteresisMs, int rebalanceMinImbalance, int rebalanceMovesPerPass,
                               LoadBalancerConfig loadBalancer) {
    /** 100 ms: an agent leaving fires several watches (registration, load, assignments); one pass serves them all. */
    public static final long DEFAULT_COALESCE_MS = 100;
    /** 1000 ms: a pass fails when ZooKeeper does; trying again sooner only adds to its load. */
    public static final long DEFAULT_RETRY_MS = 1_000;
    /** 30 s: repairs assignments changed behind the leader's back (by hand, or by a stale leader). */
    public static final long DEFAULT_RECONCILE_MS = 30_000;
    /** 500 operations per transaction: well below ZooKeeper's 1 MB request limit (an assignment is ~150 B). */
    public static final int DEFAULT_TRANSACTION_OPS = 500;
    /**
     * 1.5: an agent holds at most max(ceil(share), floor(1.5 x share)) streams ("consistent hashing
     * with bounded loads", Mirrokni et al.). With many streams per agent hashing alone stays inside
     * it (an agent with a share of 10 exceeds 15 in 5% of cases), so almost nothing spills; with
     * few, both streams of a two-agent cluster landed on one agent while the other idled.
     */
    public static final double DEFAULT_LOAD_BOUND = 1.5;
    /** 60 s: a short-lived agent, a load blip or a flapping registration moves no stateful stream. */
    public static final long DEFAULT_REBALANCE_HYSTERESIS_MS = 60_000;
    /** 2: after a move the difference is two less, so the reverse move is never worth it: no back and forth. */
    public static final int DEFAULT_REBALANCE_MIN_IMBALANCE = 2;
    /** 1: the counts are read again between moves, and a move replays frames on its new agent. */
    public static final int DEFAULT_REBALANCE_MOVES_PER_PASS = 1;

    public static final AssignmentConfig DEFAULT = builder().build();

    public AssignmentConfig {
        SettingRange.check("coalesceMs", coalesceMs, 0, 10_000);
        SettingRange.check("retryMs", retryMs, 10, 60_000);
        SettingRange.check("reconcileMs", reconcileMs, 1_000, 3_600_000);
        SettingRange.check("transactionOps", transactionOps, 1, 5_000);
        SettingRange.check("loadBound", loadBound, 1, 100);
        SettingRange.check("rebalanceHysteresisMs", rebalanceHysteresisMs, 0, 86_400_000);
        SettingRange.check("rebalanceMinImbalance", rebalanceMinImbalance, 2, 1_000_000);
        SettingRange.check("rebalanceMovesPerPass", rebalanceMovesPerPass, 0, 10_000);
        Objects.requireNonNull(loadBalancer, "loadBalancer");
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private long coalesceMs = DEFAULT_COALESCE_MS;
        private long retryMs = DEFAULT_RETRY_MS;
        private long reconcileMs = DEFAULT_RECONCILE_MS;
        private int transactionOps = DEFAULT_TRANSACTION_OPS;
        private double loadBound = DEFAULT_LOAD_BOUND;
        private long rebalanceHysteresisMs = DEFAULT_REBALANCE_HYSTERESIS_MS;
        private int rebalanceMinImbalance = DEFAULT_REBALANCE_MIN_IMBALANCE;
        private int rebalanceMovesPerPass = DEFAULT_REBALANCE_MOVES_PER_PASS;
        private LoadBalancerConfig loadBalancer = LoadBalancerConfig.DEFAULT;

        public Builder coalesceMs(long v) {
            this.coalesceMs = v;
            return this;
        }

        public Builder retryMs(long v) {
            this.retryMs = v;
            return this;
        }

        public Builder reconcileMs(long v) {
            this.reconcileMs = v;
            return this;
        }

        public Builder transactionOps(int v) {
            this.transactionOps = v;
            return this;
        }

        public Builder loadBound(double v) {
            this.loadBound = v;
            return this;
        }

        public Builder rebalanceHysteresisMs(long v) {
            this.rebalanceHysteresisMs = v;
            return this;
        }

        public Builder rebalanceMinImbalance(int v) {
            this.rebalanceMinImbalance = v;
            return this;
        }

        public Builder rebalanceMovesPerPass(int v) {
            this.rebalanceMovesPerPass = v;
            return this;
        }

        public Builder loadBalancer(LoadBalancerConfig v) {
            this.loadBalancer = v;
            return this;
        }

        public AssignmentConfig build() {
            return new AssignmentConfig(coalesceMs, retryMs, reconcileMs, transactionOps, loadBound,
                    rebalanceHysteresisMs, rebalanceMinImbalance, rebalanceMovesPerPass, loadBalancer);
        }
    }
}
