package io.argus.media.image;

import org.jspecify.annotations.Nullable;
import org.opencv.core.Mat;

import java.util.ArrayList;
import java.util.List;

/**
 * Releases every {@link Mat} registered with it when closed. OpenCV's native buffers are not
 * bounded by -Xmx and are freed by the garbage collector only eventually, so every Mat a task
 * creates goes through a scope:
 * <pre>
 * try (MatScope s = new MatScope()) {
 *     Mat gray = s.add(new Mat());
 *     ...
 * }
 * </pre>
 */
public final class MatScope implements AutoCloseable {

    /** Bytes of pixel data a Mat holds (rows x cols x element size); 0 for null or released. */
    public static long bytes(@Nullable Mat m) {
        return m == null || m.empty() ? 0 : m.total() * m.elemSize();
    }

    private final List<Mat> mats = new ArrayList<>();

    public <M extends Mat> M add(M mat) {
        mats.add(mat);
        return mat;
    }

    /** Stops tracking a Mat whose ownership passes to the caller. */
    public <M extends Mat> M detach(M mat) {
        mats.remove(mat);
        return mat;
    }

    @Override
    public void close() {
        for (int i = mats.size() - 1; i >= 0; i--) {
            mats.get(i).release();
        }
        mats.clear();
    }
}
