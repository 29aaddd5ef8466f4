package io.argus.agent.task.text;

import io.argus.task.geom.BoxF;
import org.opencv.core.Mat;

import java.util.List;

/** Finds text lines in a frame, most promising first: MSER ({@link TextLineDetector}) or a DNN ({@link DnnTextDetector}). */
public interface TextLines {
    List<BoxF> detect(Mat bgr);

    /**
     * As {@link #detect(Mat)}, searching a copy of the frame no larger than {@code maxSide} on its
     * longest side (boxes still in frame coordinates). Detectors with a fixed input size of their
     * own ignore it.
     */
    default List<BoxF> detect(Mat bgr, int maxSide) {
        return detect(bgr);
    }
}
