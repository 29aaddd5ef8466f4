package io.argus.agent.task.people;

import io.argus.media.image.MatScope;
import io.argus.agent.task.TaskBudget;
import io.argus.agent.task.WorkerLocal;
import io.argus.task.api.TaskException;
import io.argus.task.api.people.PeopleConfig;
import org.opencv.core.Mat;
import org.opencv.core.Rect;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;
import org.opencv.objdetect.HOGDescriptor;

import java.util.ArrayList;
import java.util.List;

/**
 * OpenCV's HOG + linear SVM people detector (Dalal-Triggs, 64x128 window), with the classic
 * settings: window stride 8, padding 8, pyramid scale 1.05, grouping threshold 2. A window holds
 * the person with a margin on every side; each detection is reported as the person's extent
 * inside it ({@link PersonExtent}), so that boxes match boxes drawn around people and the bottom
 * of the box is at the feet (the counting lines judge the foot point).
 */
public final class HogPersonDetector implements PersonDetector {
    /** Height of a person that fills HOG's 128-pixel window, margins excluded. */
    public static final double WINDOW_PERSON_HEIGHT = PersonExtent.WINDOW_PERSON_HEIGHT;
    /** OpenCV's default: a person is reported where more than this many windows agree. */
    static final int GROUP_THRESHOLD = 2;
    /** OpenCV's default similarity of windows that belong to one person (fraction of their size). */
    static final double GROUP_EPS = 0.2;
    private final WorkerLocal<HOGDescriptor> hogs = new WorkerLocal<>(() -> {
        HOGDescriptor h = new HOGDescriptor();
        h.setSVMDetector(HOGDescriptor.getDefaultPeopleDetector());
        return h;
    }, h -> {
    });

    @Override
    public List<Detection> detect(Mat frame, List<SearchRegion> regions, PeopleConfig cfg) {
        try {
            return detect(frame, regions, cfg, TaskBudget.NONE);
        } catch (TaskException e) {
            throw new IllegalStateException(e); // no budget, no stop
        }
    }

    @Override
    public List<Detection> detect(Mat frame, List<SearchRegion> regions, PeopleConfig cfg,
                                  TaskBudget budget) throws TaskException {
        List<Detection> out = new ArrayList<>();
        HOGDescriptor hog = hogs.get();
        try (MatScope s = new MatScope()) {
            for (SearchRegion region : regions) {
                budget.check("people.detect.region");
                Rect r = region.rect();
                double upscale = region.scale();
                Mat roi = s.add(frame.submat(r));
                Mat img = roi;
                if (Math.abs(upscale - 1) > 0.01) {
                    img = s.add(new Mat());
                    Imgproc.resize(roi, img, new Size(Math.round(r.width * upscale), Math.round(r.height * upscale)),
                            0, 0, upscale > 1 ? Imgproc.INTER_LINEAR : Imgproc.INTER_AREA);
                }
                if (img.cols() < 64 || img.rows() < 128) {
                    continue;
                }
                // a region's scale already matches its people, so its pyramid may be coarser
                boolean wholeFrame = r.width == frame.cols() && r.height == frame.rows();
                // raw windows (no grouping in OpenCV), grouped here: OpenCV's grouping and scores
                // are not reproducible from run to run (HogGrouping and HogPyramid say why)
                HogPyramid.Windows raw = HogPyramid.detect(hog, img, cfg.hitThreshold(), new Size(8, 8), new Size(8, 8),
                        wholeFrame ? 1.05 : cfg.regionPyramidStep());
                if (raw.rects().length == 0) {
                    continue;
                }
                for (HogGrouping.Group g : HogGrouping.group(raw.rects(), raw.scores(), GROUP_THRESHOLD, GROUP_EPS)) {
                    if (g.score() < cfg.minScore()) {
                        continue;
                    }
                    Rect f = g.box();
                    out.add(new Detection(PersonExtent.ofHogWindow(r.x + f.x / upscale, r.y + f.y / upscale,
                            f.width / upscale, f.height / upscale), g.score()));
                }
            }
        }
        return out;
    }

    @Override
    public void close() {
        hogs.close();
    }
}
