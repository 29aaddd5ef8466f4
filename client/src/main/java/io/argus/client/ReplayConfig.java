package io.argus.client;

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
 * @param maxFrames frames kept (default {@link #DEFAULT_MAX_FRAMES})
 * @param maxBytes  bytes of encoded frames kept (default {@link #DEFAULT_MAX_BYTES})
 */
public record ReplayConfig(int maxFrames, long maxBytes) {
    public static final int DEFAULT_MAX_FRAMES = 1_000;
    public static final long DEFAULT_MAX_BYTES = 256L << 20;
    public static final ReplayConfig DEFAULT = new ReplayConfig(DEFAULT_MAX_FRAMES, DEFAULT_MAX_BYTES);

    public ReplayConfig {
        if (maxFrames < 0 || maxFrames > 1_000_000) {
            throw new IllegalArgumentException("maxFrames must be 0-1000000: " + maxFrames);
        }
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must be >= 0: " + maxBytes);
        }
    }
}
