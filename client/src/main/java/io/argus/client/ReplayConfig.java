package io.argus.client;

import io.argus.protocol.util.SettingRange;

/**
 * How much of a sequenced stream the client keeps for replay: the frames it has sent since the
 * newest checkpoint an agent confirmed as stored by the coordinators. After a failover the new
 * agent restores that checkpoint and these frames are sent again, so the stream's state continues
 * exactly. Past either bound the oldest frames are forgotten; a failover that needs them then
 * continues from the checkpoint with an explicit gap (counted in {@link StreamSession#replayGaps()}).
 *
 * <p>At 25 frames/s and the agents' checkpoint period of 2 s, about 75 frames are held between two
 * confirmations (the period plus the coordinator's acknowledgement): 4.5 MB of 60 KB JPEG frames,
 * 100 MB of raw 768x576 frames. The defaults hold that with room for a slow coordinator.
 *
 * <p>Immutable; build one with {@link #builder()}; every setting is range-checked, a value outside
 * its range is an error.
 *
 * @param maxFrames frames kept; default {@link #DEFAULT_MAX_FRAMES}; 0 (replay off) to 1,000,000
 * @param maxBytes  bytes of encoded frames kept; default {@link #DEFAULT_MAX_BYTES}; 0 (keeps none) or more
 */
public record ReplayConfig(int maxFrames, long maxBytes) {
    /** 1000 frames: 40 s at 25 frames/s, over ten times the 75 frames held between two confirmations. */
    public static final int DEFAULT_MAX_FRAMES = 1_000;
    /** 256 MiB: the 1000 frames as 60 KB JPEGs with room, or the 75 frames as raw 768x576 frames twice over. */
    public static final long DEFAULT_MAX_BYTES = 256L << 20;
    public static final ReplayConfig DEFAULT = builder().build();

    public ReplayConfig {
        SettingRange.check("maxFrames", maxFrames, 0, 1_000_000);
        SettingRange.check("maxBytes", maxBytes, 0, Long.MAX_VALUE);
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private int maxFrames = DEFAULT_MAX_FRAMES;
        private long maxBytes = DEFAULT_MAX_BYTES;

        public Builder maxFrames(int v) {
            this.maxFrames = v;
            return this;
        }

        public Builder maxBytes(long v) {
            this.maxBytes = v;
            return this;
        }

        public ReplayConfig build() {
            return new ReplayConfig(maxFrames, maxBytes);
        }
    }
}
