package io.argus.agent.state;

import io.argus.protocol.util.SettingRange;

/**
 * When an agent checkpoints a stream's state to the coordinators: every {@link #intervalMs()}
 * for each stream that moved on since its last checkpoint, and also after every
 * {@link #everyFrames()} frames applied to a stream, whichever comes first. The first bounds the
 * replay after a failover in time (at 25 frames/s, 50 frames), the second in frames for fast
 * streams (a recording read at 200 frames/s would otherwise need 400 frames replayed). Both are
 * taken between two frames of the stream, never during one. Immutable; build one with
 * {@link #builder()}; every setting is range-checked, a value outside its range is an error.
 *
 * @param intervalMs  a stream that moved on is checkpointed this often; default {@link #DEFAULT_INTERVAL_MS};
 *                    100 ms to 10 minutes
 * @param everyFrames a stream is also checkpointed after this many frames; default
 *                    {@link #DEFAULT_EVERY_FRAMES}; 0 turns the frame count off, else 1 to 1,000,000
 */
public record CheckpointConfig(long intervalMs, int everyFrames) {
    /** 2000 ms: at 25 frames/s a failover replays about 50 frames (and those the acknowledgement takes). */
    public static final long DEFAULT_INTERVAL_MS = 2_000;
    /** 250 frames: a recording read at 200 frames/s replays at most these after a failover, not 400. */
    public static final int DEFAULT_EVERY_FRAMES = 250;
    public static final CheckpointConfig DEFAULT = builder().build();

    public CheckpointConfig {
        SettingRange.check("intervalMs", intervalMs, 100, 600_000);
        SettingRange.check("everyFrames", everyFrames, 0, 1_000_000);
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private long intervalMs = DEFAULT_INTERVAL_MS;
        private int everyFrames = DEFAULT_EVERY_FRAMES;

        public Builder intervalMs(long v) {
            this.intervalMs = v;
            return this;
        }

        public Builder everyFrames(int v) {
            this.everyFrames = v;
            return this;
        }

        public CheckpointConfig build() {
            return new CheckpointConfig(intervalMs, everyFrames);
        }
    }
}
