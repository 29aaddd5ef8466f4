package io.argus.agent.image;

/**
 * Bounds of the recordings an agent reads frames from itself ({@link FileFrameReader}, encoding
 * {@code FILE_FRAME}). Immutable; {@link #DEFAULT} unless built otherwise.
 *
 * @param maxOpenFiles open recordings at once, one per stream; the least recently used is closed to
 *                     open another (default {@link #DEFAULT_MAX_OPEN_FILES})
 * @param idleCloseMs  a recording no frame was read from for this long is closed (default
 *                     {@link #DEFAULT_IDLE_CLOSE_MS})
 */
public record FileFrameConfig(int maxOpenFiles, long idleCloseMs) {
    /**
     * Each open recording holds an FFmpeg demuxer and decoder and its last few decoded pictures
     * ({@code FileFrameReader.KEPT_FRAMES}, 4, within {@code FileFrameReader.KEPT_BYTES}, 16 MiB):
     * about 5 MB for 768x576, 12 MB for 1080p, none kept for 4K. 8 of them cover an agent's workers
     * running 2-4 segments each.
     */
    public static final int DEFAULT_MAX_OPEN_FILES = 8;
    /** A stream that sends no frame for a minute has finished or moved; its reader is closed. */
    public static final long DEFAULT_IDLE_CLOSE_MS = 60_000;
    public static final FileFrameConfig DEFAULT = new FileFrameConfig(DEFAULT_MAX_OPEN_FILES, DEFAULT_IDLE_CLOSE_MS);

    public FileFrameConfig {
        if (maxOpenFiles < 1 || maxOpenFiles > 1_024) {
            throw new IllegalArgumentException("maxOpenFiles must be 1-1024: " + maxOpenFiles);
        }
        if (idleCloseMs < 1_000) {
            throw new IllegalArgumentException("idleCloseMs must be at least 1000: " + idleCloseMs);
        }
    }
}
