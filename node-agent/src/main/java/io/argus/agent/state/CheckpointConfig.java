package io.argus.agent.state;

/**
 * When an agent checkpoints a stream's state to the coordinators: every {@link #intervalMs()}
 * for each stream that moved on since its last checkpoint, and also after every
 * {@link #everyFrames()} frames applied to a stream, whichever comes first. The first bounds the
 * replay after a failover in time (at 25 frames/s, 50 frames), the second in frames for fast
 * streams (a recording read at 200 frames/s would otherwise need 400 frames replayed). Both are
 * taken between two frames of the stream, never during one.
 *
 * @param intervalMs  default {@link #DEFAULT_INTERVAL_MS}; 100 ms to 10 minutes
 * @param everyFrames default {@link #DEFAULT_EVERY_FRAMES}; 0 turns the frame count off, else 1 to 1,000,000
 */
public record CheckpointConfig(long intervalMs, int everyFrames) {
    public static final long DEFAULT_INTERVAL_MS = 2_000;
    public static final int DEFAULT_EVERY_FRAMES = 250;
    public static final CheckpointConfig DEFAULT = new CheckpointConfig(DEFAULT_INTERVAL_MS, DEFAULT_EVERY_FRAMES);

    public CheckpointConfig {
        if (intervalMs < 100 || intervalMs > 600_000) {
            throw new IllegalArgumentException("checkpoint interval must be 100-600000 ms: " + intervalMs);
        }
        if (everyFrames < 0 || everyFrames > 1_000_000) {
            throw new IllegalArgumentException("checkpoint frame count must be 0-1000000: " + everyFrames);
        }
    }
}
