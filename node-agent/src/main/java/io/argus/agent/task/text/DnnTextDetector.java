package io.argus.agent.task.text;

import io.argus.media.image.MatScope;
import io.argus.agent.task.WorkerLocal;
import io.argus.task.geom.BoxF;
import org.opencv.core.Mat;
import org.opencv.core.MatOfPoint;
import org.opencv.core.Point;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.dnn.TextDetectionModel_DB;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Text lines from a DB (differentiable binarisation) text detection network through OpenCV's DNN
 * module ({@code TextDetectionModel_DB}), used instead of MSER when the agent is started with
 * {@code --text-model FILE} (e.g. an ONNX export of DB-ResNet18). One network per worker thread.
 * The input is resized to a multiple of 32 no larger than {@code inputSide}.
 */
public final class DnnTextDetector implements TextLines {
    private final WorkerLocal<TextDetectionModel_DB> models;

    public DnnTextDetector(Path model, int inputSide) {
        String file = model.toString();
        this.models = new WorkerLocal<>(() -> {
            TextDetectionModel_DB m = new TextDetectionModel_DB(file);
            m.setBinaryThreshold(0.3f).setPolygonThreshold(0.5f).setMaxCandidates(200).setUnclipRatio(2.0);
            m.setInputParams(1.0 / 255.0, new Size(inputSide, inputSide), new Scalar(122.68, 116.67, 104.01), false, false);
            return m;
        }, m -> {
        });
        models.get(); // fail at startup when the file is not a usable model
    }

    @Override
    public List<BoxF> detect(Mat bgr) {
        List<BoxF> out = new ArrayList<>();
        try (MatScope s = new MatScope()) {
            List<MatOfPoint> polys = new ArrayList<>();
            models.get().detect(bgr, polys);
            for (MatOfPoint p : polys) {
                s.add(p);
                double x0 = Double.MAX_VALUE;
                double y0 = Double.MAX_VALUE;
                double x1 = 0;
                double y1 = 0;
                for (Point q : p.toArray()) {
                    x0 = Math.min(x0, q.x);
                    y0 = Math.min(y0, q.y);
                    x1 = Math.max(x1, q.x);
                    y1 = Math.max(y1, q.y);
                }
                x0 = Math.max(0, x0);
                y0 = Math.max(0, y0);
                x1 = Math.min(bgr.cols(), x1);
                y1 = Math.min(bgr.rows(), y1);
                if (x1 - x0 >= 4 && y1 - y0 >= 4) {
                    out.add(new BoxF(x0, y0, x1 - x0, y1 - y0));
                }
            }
        }
        out.sort(Comparator.comparingDouble((BoxF b) -> b.w() / b.h() * Math.sqrt(b.h())).reversed());
        return out;
    }
}
