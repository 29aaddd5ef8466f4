package io.argus.agent.task.composite;

import org.jspecify.annotations.Nullable;
import org.opencv.core.Mat;

import java.util.LinkedHashMap;
import java.util.Map;

/** One panorama stream: the latest frame per camera, the cached homography and the blend weights. */
public final class StitchState implements AutoCloseable {
    final Map<String, Mat> latest = new LinkedHashMap<>();
    double @Nullable [] homography;       // moving camera -> reference camera
    long estimatedAtUs = Long.MIN_VALUE;
    int inliers;
    // cached canvas geometry and feather weights for the current homography and frame sizes
    @Nullable Mat weightRef;
    @Nullable Mat weightMoving;
    double @Nullable [] canvasShift;      // translation applied to reference coordinates
    int canvasW;
    int canvasH;
    String geometryKey = "";

    void dropGeometry() {
        if (weightRef != null) {
            weightRef.release();
            weightRef = null;
        }
        if (weightMoving != null) {
            weightMoving.release();
            weightMoving = null;
        }
        geometryKey = "";
    }

    @Override
    public void close() {
        dropGeometry();
        latest.values().forEach(Mat::release);
        latest.clear();
    }
}
