package io.argus.agent.record;

import io.argus.protocol.util.SettingRange;

/**
 * How an agent publishes its record to the coordinators ({@link CoordinatorLink}) and what it keeps
 * for coordinators that are away ({@link ParkedStores}). Immutable; build one with
 * {@link #builder()}; every setting is range-checked, a value outside its range is an error.
 *
 * @param maxQueued           events queued per coordinator, and kept per store that is away; default
 *                            {@link #DEFAULT_MAX_QUEUED}; 1 to 10,000,000
 * @param batch               events per batch; default {@link #DEFAULT_BATCH}; 1 to 10,000
 * @param ackTimeoutMs        a batch without an acknowledgement this long is sent again; default
 *                            {@link #DEFAULT_ACK_TIMEOUT_MS}; 100 ms to 10 min
 * @param firstReconnectMs    first pause after a failed connect; default {@link #DEFAULT_FIRST_RECONNECT_MS}; 10 ms to maxReconnectMs
 * @param maxReconnectMs      the pause doubles up to this; default {@link #DEFAULT_MAX_RECONNECT_MS}; up to 10 min
 * @param heartbeatIntervalMs ping on an idle link this often; default {@link #DEFAULT_HEARTBEAT_INTERVAL_MS}; 50 ms to 60 s
 * @param heartbeatTimeoutMs  a link silent this long is lost; default {@link #DEFAULT_HEARTBEAT_TIMEOUT_MS};
 *                            above heartbeatIntervalMs, up to 10 min
 * @param tickMs              how often the publisher checks its outboxes; default {@link #DEFAULT_TICK_MS}; 10 ms to 10 s
 * @param maxParkedStores     stores without a live coordinator remembered at once; default
 *                            {@link #DEFAULT_MAX_PARKED_STORES}; 1 to 1,000
 * @param parkedRetentionMs   how long a store may be away before its events are given up; default
 *                            {@link #DEFAULT_PARKED_RETENTION_MS}; 1 s to 7 days
 */
public record EventLinkConfig(int maxQueued, int batch, long ackTimeoutMs, long firstReconnectMs, long maxReconnectMs,
                              int heartbeatIntervalMs, int heartbeatTimeoutMs, long tickMs, int maxParkedStores,
                              long parkedRetentionMs) {
    /**
     * 20,000 events per coordinator: at 30 events/s, 11 minutes without that coordinator. Beyond it
     * the oldest are dropped and counted: a camera's frames must never wait for a coordinator (a
     * replayed recording does wait, from half of it: {@code CoordinatorLink.BACKLOG_PAUSE_PERCENT}).
     */
    public static final int DEFAULT_MAX_QUEUED = 20_000;
    /** 200 events per batch: with 64 KiB thumbnails at most 12.5 MiB, inside the 16 MiB envelope. */
    public static final int DEFAULT_BATCH = 200;
    /**
     * 5000 ms: a coordinator syncs a batch to disk before it acknowledges it, which takes a fraction
     * of that; a batch unanswered this long is sent again (coordinators deduplicate by event id).
     */
    public static final long DEFAULT_ACK_TIMEOUT_MS = 5_000;
    /** 200 ms: a coordinator restarting is usually back within a second; the first retries find it early. */
    public static final long DEFAULT_FIRST_RECONNECT_MS = 200;
    /** 5000 ms: a coordinator away for long is tried no more than every 5 s, one warning per streak. */
    public static final long DEFAULT_MAX_RECONNECT_MS = 5_000;
    /** 1000 ms: the idle link carries heartbeats, by which a coordinator notices this agent's death. */
    public static final int DEFAULT_HEARTBEAT_INTERVAL_MS = 1_000;
    /** 10,000 ms: ten missed heartbeats; a coordinator busy with the store's disk may be silent for seconds. */
    public static final int DEFAULT_HEARTBEAT_TIMEOUT_MS = 10_000;
    /** 200 ms: how late an event may leave the agent's outbox after it was published. */
    public static final long DEFAULT_TICK_MS = 200;
    /** 8 stores: more coordinators' stores than a cluster runs; a decommissioned one must not hold memory. */
    public static final int DEFAULT_MAX_PARKED_STORES = 8;
    /** 1 hour: a restart or an outage is back well within it; a store away longer is given up with a warning. */
    public static final long DEFAULT_PARKED_RETENTION_MS = 60 * 60 * 1000L;

    public static final EventLinkConfig DEFAULT = builder().build();

    public EventLinkConfig {
        SettingRange.check("maxQueued", maxQueued, 1, 10_000_000);
        SettingRange.check("batch", batch, 1, 10_000);
        SettingRange.check("ackTimeoutMs", ackTimeoutMs, 100, 600_000);
        SettingRange.check("maxReconnectMs", maxReconnectMs, 10, 600_000);
        SettingRange.check("firstReconnectMs", firstReconnectMs, 10, maxReconnectMs);
        SettingRange.check("heartbeatIntervalMs", heartbeatIntervalMs, 50, 60_000);
        SettingRange.check("heartbeatTimeoutMs", heartbeatTimeoutMs, heartbeatIntervalMs + 1, 600_000);
        SettingRange.check("tickMs", tickMs, 10, 10_000);
        SettingRange.check("maxParkedStores", maxParkedStores, 1, 1_000);
        SettingRange.check("parkedRetentionMs", parkedRetentionMs, 1_000, 7 * 86_400_000L);
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private int maxQueued = DEFAULT_MAX_QUEUED;
        private int batch = DEFAULT_BATCH;
        private long ackTimeoutMs = DEFAULT_ACK_TIMEOUT_MS;
        private long firstReconnectMs = DEFAULT_FIRST_RECONNECT_MS;
        private long maxReconnectMs = DEFAULT_MAX_RECONNECT_MS;
        private int heartbeatIntervalMs = DEFAULT_HEARTBEAT_INTERVAL_MS;
        private int heartbeatTimeoutMs = DEFAULT_HEARTBEAT_TIMEOUT_MS;
        private long tickMs = DEFAULT_TICK_MS;
        private int maxParkedStores = DEFAULT_MAX_PARKED_STORES;
        private long parkedRetentionMs = DEFAULT_PARKED_RETENTION_MS;

        public Builder maxQueued(int v) {
            this.maxQueued = v;
            return this;
        }

        public Builder batch(int v) {
            this.batch = v;
            return this;
        }

        public Builder ackTimeoutMs(long v) {
            this.ackTimeoutMs = v;
            return this;
        }

        public Builder firstReconnectMs(long v) {
            this.firstReconnectMs = v;
            return this;
        }

        public Builder maxReconnectMs(long v) {
            this.maxReconnectMs = v;
            return this;
        }

        public Builder heartbeatIntervalMs(int v) {
            this.heartbeatIntervalMs = v;
            return this;
        }

        public Builder heartbeatTimeoutMs(int v) {
            this.heartbeatTimeoutMs = v;
            return this;
        }

        public Builder tickMs(long v) {
            this.tickMs = v;
            return this;
        }

        public Builder maxParkedStores(int v) {
            this.maxParkedStores = v;
            return this;
        }

        public Builder parkedRetentionMs(long v) {
            this.parkedRetentionMs = v;
            return this;
        }

        public EventLinkConfig build() {
            return new EventLinkConfig(maxQueued, batch, ackTimeoutMs, firstReconnectMs, maxReconnectMs,
                    heartbeatIntervalMs, heartbeatTimeoutMs, tickMs, maxParkedStores, parkedRetentionMs);
        }
    }
}
