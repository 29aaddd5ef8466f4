package io.argus.bench;

import io.argus.agent.state.StreamStateStore;
import io.argus.agent.task.TaskContext;
import io.argus.agent.task.people.HogPersonDetector;
import io.argus.agent.task.people.PeopleTask;
import io.argus.cli.eval.EvalReport;
import io.argus.cli.eval.Evaluation;
import io.argus.cli.eval.MotBox;
import io.argus.cli.eval.MotReader;
import io.argus.cli.eval.Sequence;
import io.argus.cli.eval.ShapeSpecs;
import io.argus.media.FfmpegSource;
import io.argus.media.VideoFrame;
import io.argus.media.image.OpenCv;
import io.argus.protocol.v1.Box;
import io.argus.protocol.v1.Event;
import io.argus.protocol.v1.Overlay;
import io.argus.protocol.v1.TaskResult;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.imgcodecs.Imgcodecs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code people} task in process on the first 301 frames of {@code vtest.avi}, scored by
 * {@code eval}'s code against the hand-made ground truth (node-agent/src/test/resources/gt): dense
 * truth for MOTA, IDF1, recall; the 31 ten-frame keyframes for occupancy; the agent's own line
 * counts on {@code mid}. The same as {@code bin/argus analyze --mot-out} then {@code bin/argus
 * eval}, without the cluster, so that a change can be measured in a minute.
 *
 * <p>Usage: {@code java -cp ... io.argus.bench.PeopleEval [--mot-out FILE] [--jpeg QUALITY] [key=value ...]}; each
 * key=value is a {@code people} task parameter (e.g. {@code perspective=true}).
 */
public final class PeopleEval {
    static final int FRAMES = 301;

    public static void main(String[] args) throws Exception {
        OpenCv.load();
        Core.setNumThreads(1);
        Map<String, String> params = new LinkedHashMap<>();
        params.put("lines", "mid:384,0,384,576");
        Path motOut = null;
        int jpegQuality = 0;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--jpeg")) {
                jpegQuality = Integer.parseInt(args[++i]);
            } else if (args[i].equals("--mot-out")) {
                motOut = Path.of(args[++i]);
            } else {
                String[] kv = args[i].split("=", 2);
                params.put(kv[0], kv[1]);
            }
        }
        Path root = BenchAssets.root();
        List<Mat> frames = new ArrayList<>();
        try (FfmpegSource s = FfmpegSource.file(root.resolve("video/vtest.avi").toString(), false)) {
            VideoFrame f;
            while ((f = s.next()) != null && frames.size() < FRAMES) {
                Mat m = new Mat(f.height(), f.width(), CvType.CV_8UC3);
                m.put(0, 0, f.bgr());
                if (jpegQuality > 0) {
                    // as analyze sends them: JPEG on the wire (OpenCV's codec here, not the client's)
                    MatOfByte buf = new MatOfByte();
                    Imgcodecs.imencode(".jpg", m, buf, new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, jpegQuality));
                    m.release();
                    m = Imgcodecs.imdecode(buf, Imgcodecs.IMREAD_COLOR);
                    buf.release();
                }
                frames.add(m);
            }
        }
        List<MotBox> rows = new ArrayList<>();
        long in = 0;
        long out = 0;
        List<String> crossings = new ArrayList<>();
        long t0 = System.nanoTime();
        try (PeopleTask task = new PeopleTask(new HogPersonDetector());
             StreamStateStore states = new StreamStateStore(Duration.ofMinutes(5))) {
            for (int i = 0; i < frames.size(); i++) {
                TaskResult r = task.run(new TaskContext("eval", i, i, i * 100_000L, frames.get(i), params,
                        states.acquire("eval", i)));
                for (Overlay o : r.getOverlaysList()) {
                    if (o.hasBox() && o.getBox().getTrackId() != 0) {
                        Box b = o.getBox();
                        rows.add(new MotBox(i + 1, b.getTrackId(), b.getX(), b.getY(), b.getWidth(), b.getHeight(),
                                b.getScore()));
                    }
                }
                for (Event e : r.getEventsList()) {
                    if ("crossing".equals(e.getType())) {
                        crossings.add((i + 1) + ":" + e.getAttributesMap().get("direction") + ":"
                                + e.getAttributesMap().get("track"));
                        if ("in".equals(e.getAttributesMap().get("direction"))) {
                            in++;
                        } else {
                            out++;
                        }
                    }
                }
            }
        }
        double fps = frames.size() / ((System.nanoTime() - t0) / 1e9);
        if (motOut != null) {
            StringBuilder sb = new StringBuilder();
            for (MotBox b : rows) {
                sb.append(String.format(Locale.ROOT, "%d,%d,%.2f,%.2f,%.2f,%.2f,%.3f,-1,-1,-1%n", b.frame(), b.id(),
                        b.x(), b.y(), b.w(), b.h(), b.score()));
            }
            Files.writeString(motOut, sb.toString());
        }
        Path gtDir = root.resolve("../node-agent/src/test/resources/gt");
        Sequence tracks = Sequence.of(rows);
        ShapeSpecs.CountLine mid = ShapeSpecs.line("mid:384,0,384,576");
        EvalReport dense = Evaluation.run(MotReader.groundTruth(gtDir.resolve("vtest-0-300-dense.txt")), tracks,
                new Evaluation.Options(List.of(mid), List.of(), null, FRAMES));
        EvalReport keys = Evaluation.run(MotReader.groundTruth(gtDir.resolve("vtest-s0-300.txt")), tracks,
                new Evaluation.Options(List.of(), List.of(), null, FRAMES));
        System.out.printf(Locale.ROOT, "params %s; agent's crossings (MOT frame:direction:track) %s%n", params,
                crossings);
        System.out.printf(Locale.ROOT,
                "dense: MOTA %.1f%% IDF1 %.1f%% recall %.1f%% precision %.1f%% FP %d FN %d IDSW %d | eval counts %s | "
                        + "agent mid %d in / %d out (truth 7/2) | occupancy MAE (31 keyframes) %.2f max %d | %.1f fps (1 thread, shared machine)%n",
                100 * dense.clearMot().mota(), 100 * dense.identity().idf1(), 100 * dense.clearMot().recall(),
                100 * dense.clearMot().precision(), dense.clearMot().numFalsePositives(),
                dense.clearMot().numMisses(), dense.clearMot().numSwitches(), dense.counting(), in, out,
                keys.occupancy().get(0).meanAbsError(), keys.occupancy().get(0).maxAbsError(), fps);
        frames.forEach(Mat::release);
    }
}
