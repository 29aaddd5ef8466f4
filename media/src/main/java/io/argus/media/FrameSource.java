package io.argus.media;

import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * A sequence of frames: a video file, a camera, a network stream or an image folder.
 * Not thread-safe: one reader at a time.
 */
public interface FrameSource extends AutoCloseable {

    /** The next frame, or null at the end. Live sources block until a frame arrives. */
    @Nullable VideoFrame next() throws IOException;

    /** Nominal frame rate, or 0 if unknown. */
    double frameRate();

    /** Number of frames if known (files), otherwise -1. */
    long frameCount();

    /** True for cameras and network streams: frames come at their own pace and cannot be replayed. */
    boolean live();

    /**
     * Whether the frames are still photos (a folder of images, one image) rather than moments of one
     * scene: tasks that agree on a reading across frames should not wait for a second sighting.
     */
    default boolean stills() {
        return false;
    }

    String describe();

    @Override
    void close();
}
