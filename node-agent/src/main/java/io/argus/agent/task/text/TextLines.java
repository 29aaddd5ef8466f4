package io.argus.agent.task.text;

import io.argus.agent.geom.BoxF;
import org.opencv.core.Mat;

import java.util.List;

/** Finds text lines in a frame, most promising first: MSER ({@link TextLineDetector}) or a DNN ({@link DnnTextDetector}). */
public interface TextLines {
    List<BoxF> detect(Mat bgr);
}
