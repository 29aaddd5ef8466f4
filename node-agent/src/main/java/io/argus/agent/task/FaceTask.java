package io.argus.agent.task;

import io.argus.media.image.MatScope;
import io.argus.protocol.v1.Box;
import io.argus.protocol.v1.Code;
import io.argus.protocol.v1.Overlay;
import io.argus.protocol.v1.TaskResult;
import io.argus.task.api.FaceParams;
import io.argus.task.api.TaskException;
import io.argus.task.api.TaskNames;
import org.opencv.core.Mat;
import org.opencv.core.MatOfRect;
import org.opencv.core.Rect;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;
import org.opencv.objdetect.CascadeClassifier;

import java.lang.ref.Reference;
import java.nio.file.Path;
import java.util.Map;

/**
 * Frontal faces with a Haar cascade (the original design's FACE_DETECT). A
 * {@link CascadeClassifier} is not thread-safe, so each worker has its own.
 *
 * <p>Parameters: see {@link FaceParams}.
 * Result: a box per face labelled "face", and {@code faces.count}.
 */
public final class FaceTask implements VisionTask {
    public static final String NAME = TaskNames.FACES;
    private final WorkerLocal<CascadeClassifier> classifiers;

    public FaceTask(Path cascade) {
        String file = cascade.toString();
        this.classifiers = new WorkerLocal<>(() -> {
            CascadeClassifier c = new CascadeClassifier(file);
            if (c.empty()) {
                throw new IllegalStateException("cannot load cascade " + file);
            }
            return c;
        }, c -> {
        });
        CascadeClassifier probe = new CascadeClassifier(file);
        boolean loaded;
        try {
            loaded = !probe.empty();
        } finally {
            Reference.reachabilityFence(probe); // see TextLineDetector: finalizers and native calls
        }
        if (!loaded) {
            throw new IllegalStateException("cannot load cascade " + file);
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void validate(Map<String, String> params) throws TaskException {
        FaceParams.parse(params);
    }

    @Override
    public TaskResult run(TaskContext ctx) throws TaskException {
        FaceParams cfg = FaceParams.parse(ctx.params());
        double scaleFactor = cfg.scaleFactor();
        int minNeighbors = cfg.minNeighbors();
        double minSizeFrac = cfg.minSize();
        Mat frame = ctx.frame();
        try (MatScope s = new MatScope()) {
            Mat gray = s.add(new Mat());
            Imgproc.cvtColor(frame, gray, Imgproc.COLOR_BGR2GRAY);
            Imgproc.equalizeHist(gray, gray);
            MatOfRect faces = s.add(new MatOfRect());
            int minSide = (int) Math.max(20, Math.min(frame.cols(), frame.rows()) * minSizeFrac);
            classifiers.get().detectMultiScale(gray, faces, scaleFactor, minNeighbors, 0,
                    new Size(minSide, minSide), new Size());
            TaskResult.Builder out = TaskResult.newBuilder().setTask(NAME).setStatus(Code.OK);
            Rect[] rects = faces.toArray();
            for (Rect r : rects) {
                out.addOverlays(Overlay.newBuilder().setBox(Box.newBuilder()
                        .setX(r.x).setY(r.y).setWidth(r.width).setHeight(r.height).setLabel("face").setScore(1)));
            }
            return out.putNumbers("faces.count", rects.length).build();
        }
    }

    @Override
    public void close() {
        classifiers.close();
    }
}
