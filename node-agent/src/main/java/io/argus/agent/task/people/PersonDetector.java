package io.argus.agent.task.people;

import io.argus.agent.task.TaskBudget;
import io.argus.task.api.TaskException;
import io.argus.task.api.people.PeopleConfig;
import org.opencv.core.Mat;

import java.util.List;

/**
 * Finds people in (regions of) a BGR frame. The default is OpenCV's HOG people detector; an
 * OpenCV DNN model (ONNX, e.g. a YOLO person detector) is used instead when a model file is
 * configured. Implementations are shared by worker threads and keep per-thread state themselves.
 */
public interface PersonDetector extends AutoCloseable {

    /**
     * The people found in the given regions of a frame.
     *
     * @param frame   the whole frame (not modified)
     * @param regions where to look (frame coordinates) and at which scale
     */
    List<Detection> detect(Mat frame, List<SearchRegion> regions, PeopleConfig cfg);

    /**
     * As {@link #detect(Mat, List, PeopleConfig)}, stopping between search regions once the
     * task's processing budget is spent.
     */
    default List<Detection> detect(Mat frame, List<SearchRegion> regions, PeopleConfig cfg,
                                   TaskBudget budget) throws TaskException {
        return detect(frame, regions, cfg);
    }

    /** Whether searching regions is cheaper than the whole frame (HOG: yes; a single-pass DNN: no). */
    default boolean prefersRegions() {
        return true;
    }

    @Override
    default void close() {
    }
}
