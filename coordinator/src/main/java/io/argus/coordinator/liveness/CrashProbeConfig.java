package io.argus.coordinator.liveness;

import io.argus.protocol.util.SettingRange;

/**
 * How a coordinator probes an agent whose event link closed ({@link CrashDetector}). Immutable;
 * build one with {@link #builder()}; every setting is range-checked, a value outside its range is
 * an error.
 *
 * @param probeTimeoutMs longest wait for the agent's port to answer; default {@link #DEFAULT_PROBE_TIMEOUT_MS}; 10 ms to 60 s
 * @param rechecks       probes after a successful connect; default {@link #DEFAULT_RECHECKS}; 0 to 100
 * @param recheckMs      pause before each of those; default {@link #DEFAULT_RECHECK_MS}; 1 ms to 60 s
 * @param maxQueued      probes queued or running at once, re-checks included; default {@link #DEFAULT_MAX_QUEUED}; 1 to 100,000
 */
public record CrashProbeConfig(int probeTimeoutMs, int rechecks, long recheckMs, int maxQueued) {
    /**
     * 1000 ms: a refusal from a live host comes back in well under a millisecond on a LAN; a
     * timeout is "unknown", never "crashed", so a longer wait only delays the same non-verdict.
     */
    public static final int DEFAULT_PROBE_TIMEOUT_MS = 1_000;
    /**
     * 2 probes more after a successful connect: a process being killed closes its sockets one by
     * one, and its listening socket may still take connections just after its event link closed.
     */
    public static final int DEFAULT_RECHECKS = 2;
    /** 250 ms between re-checks: long enough for a dying process to close its port, short against a session. */
    public static final long DEFAULT_RECHECK_MS = 250;
    /** 64 probes: a probe costs a socket; more are dropped and leave the decision to ZooKeeper. */
    public static final int DEFAULT_MAX_QUEUED = 64;

    public static final CrashProbeConfig DEFAULT = builder().build();

    public CrashProbeConfig {
        SettingRange.check("probeTimeoutMs", probeTimeoutMs, 10, 60_000);
        SettingRange.check("rechecks", rechecks, 0, 100);
        SettingRange.check("recheckMs", recheckMs, 1, 60_000);
        SettingRange.check("maxQueued", maxQueued, 1, 100_000);
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private int probeTimeoutMs = DEFAULT_PROBE_TIMEOUT_MS;
        private int rechecks = DEFAULT_RECHECKS;
        private long recheckMs = DEFAULT_RECHECK_MS;
        private int maxQueued = DEFAULT_MAX_QUEUED;

        public Builder probeTimeoutMs(int v) {
            this.probeTimeoutMs = v;
            return this;
        }

        public Builder rechecks(int v) {
            this.rechecks = v;
            return this;
        }

        public Builder recheckMs(long v) {
            this.recheckMs = v;
            return this;
        }

        public Builder maxQueued(int v) {
            this.maxQueued = v;
            return this;
        }

        public CrashProbeConfig build() {
            return new CrashProbeConfig(probeTimeoutMs, rechecks, recheckMs, maxQueued);
        }
    }
}
