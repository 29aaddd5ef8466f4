package io.argus.agent.task.people;

import io.argus.media.image.MatScope;
import io.argus.agent.task.WorkerLocal;
import io.argus.task.api.people.PeopleConfig;
import io.argus.task.geom.BoxF;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.dnn.Dnn;
import org.opencv.dnn.Net;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A person detector from an ONNX model through OpenCV's DNN module, for YOLO-style exports
 * (YOLOv5: output [1, N, 85] with objectness; YOLOv8: output [1, 84, N] without). Only class 0
 * (COCO "person") is kept. The frame is resized to the model's square input. Used when the
 * agent is started with {@code --person-model FILE}; one network per worker thread.
 */
public final class DnnPersonDetector implements PersonDetector {
    private final WorkerLocal<Net> nets;
    private final int inputSize;

    public DnnPersonDetector(Path onnx, int inputSize) {
        String file = onnx.toString();
        Net probe = Dnn.readNetFromONNX(file);
        if (probe.empty()) {
            throw new IllegalArgumentException("cannot load ONNX model " + file);
        }
        this.inputSize = inputSize;
        this.nets = new WorkerLocal<>(() -> Dnn.readNetFromONNX(file), n -> {
        });
    }

    @Override
    public boolean prefersRegions() {
        return false;
    }

    @Override
    public List<Detection> detect(Mat frame, List<SearchRegion> regions, PeopleConfig cfg) {
        try (MatScope s = new MatScope()) {
            Mat blob = s.add(Dnn.blobFromImage(frame, 1 / 255.0, new Size(inputSize, inputSize), new Scalar(0, 0, 0),
                    true, false));
            Net net = nets.get();
            net.setInput(blob);
            Mat out = s.add(net.forward());
            // rows of [cx, cy, w, h, (objectness,) class scores...], one row per candidate
            int a = out.size(1);
            int b = out.size(2);
            boolean v8 = a < b; // YOLOv8 puts the attributes first: [1, 84, N]
            Mat table = s.add(out.reshape(1, a));
            if (v8) {
                Mat t = s.add(new Mat());
                Core.transpose(table, t);
                table = t;
            }
            Mat rowsMat = s.add(new Mat());
            table.convertTo(rowsMat, CvType.CV_32F);
            float[] data = new float[(int) rowsMat.total()];
            rowsMat.get(0, 0, data);
            int stride = rowsMat.cols();
            List<Detection> dets = new ArrayList<>();
            double sx = (double) frame.cols() / inputSize;
            double sy = (double) frame.rows() / inputSize;
            for (int i = 0; i + stride <= data.length; i += stride) {
                double score = v8 ? data[i + 4] : data[i + 4] * data[i + 5];
                if (score < Math.max(0.25, cfg.minScore())) {
                    continue;
                }
                double cx = data[i] * sx;
                double cy = data[i + 1] * sy;
                double w = data[i + 2] * sx;
                double h = data[i + 3] * sy;
                dets.add(new Detection(BoxF.ofCenter(cx, cy, w, h), score));
            }
            return Nms.suppress(dets, 0.45);
        }
    }

    @Override
    public void close() {
        nets.close();
    }
}
