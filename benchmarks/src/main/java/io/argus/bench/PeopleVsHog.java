package io.argus.bench;

import io.argus.media.image.OpenCv;
import io.argus.agent.state.StreamStateStore;
import io.argus.agent.task.TaskContext;
import io.argus.agent.task.people.Detection;
import io.argus.agent.task.people.HogPersonDetector;
import io.argus.agent.task.people.LineCrossingCounter;
import io.argus.agent.task.people.PeopleTask;
import io.argus.agent.task.people.PersonExtent;
import io.argus.agent.task.people.Track;
import io.argus.agent.task.people.Tracker;
import io.argus.cli.analyze.GroundTruth;
import io.argus.media.FfmpegSource;
import io.argus.media.VideoFrame;
import io.argus.protocol.v1.Event;
import io.argus.protocol.v1.TaskResult;
import io.argus.task.api.people.CountingLine;
import io.argus.task.geom.Pt;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfDouble;
import org.opencv.core.MatOfRect;
import org.opencv.core.Rect;
import org.opencv.core.Size;
import org.opencv.objdetect.HOGDescriptor;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The people pipeline against a plain OpenCV loop, in one process, on the same decoded frames of
 * {@code vtest.avi}:
 * <ul>
 *   <li>baseline: full-frame HOG on every frame (winStride 8, padding 8, scale 1.05, group
 *       threshold 2), OpenCV allowed all cores; its boxes go through the same tracker and line
 *       counter so that its counts can be compared;</li>
 *   <li>people: the {@code people} task (motion-gated, per-region scale), OpenCV on one thread as in
 *       an agent's worker.</li>
 * </ul>
 * Decoding is excluded from both. Counting error is against the hand-labelled ground truth
 * (frames 1-301, line mid). Usage: {@code java -cp ... io.argus.bench.PeopleVsHog [repeats] [people-param=value ...]}.
 */
public final class PeopleVsHog {
    public static void main(String[] args) throws Exception {
        int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        for (int i = 1; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            if (kv.length != 2) {
                throw new IllegalArgumentException("expected key=value, got " + args[i]);
            }
            EXTRA.put(kv[0], kv[1]);
        }
        OpenCv.load();
        Path root = BenchAssets.root();
        List<Mat> frames = new ArrayList<>();
        try (FfmpegSource s = FfmpegSource.file(root.resolve("video/vtest.avi").toString(), false)) {
            VideoFrame f;
            while ((f = s.next()) != null) {
                Mat m = new Mat(f.height(), f.width(), CvType.CV_8UC3);
                m.put(0, 0, f.bgr());
                frames.add(m);
            }
        }
        GroundTruth gt = GroundTruth.read(root.resolve("../node-agent/src/test/resources/gt/vtest-s0-300.txt"));
        CountingLine mid = new CountingLine("mid", new Pt(384, 0), new Pt(384, 576));
        List<GroundTruth.Crossing> truth = gt.crossings(mid.p1(), mid.p2());
        long truthIn = truth.stream().filter(GroundTruth.Crossing::in).count();
        long truthOut = truth.size() - truthIn;
        System.out.printf("frames %d, ground truth on frames 1-%d: in %d, out %d%n", frames.size(), gt.lastFrame(),
                truthIn, truthOut);
        List<Double> hogFps = new ArrayList<>();
        List<Double> peopleFps = new ArrayList<>();
        long[] hogCounts = null;
        long[] peopleCounts = null;
        for (int r = 0; r < repeats; r++) {
            Core.setNumThreads(Runtime.getRuntime().availableProcessors());
            long t0 = System.nanoTime();
            hogCounts = plainHog(frames, mid, gt.lastFrame());
            hogFps.add(frames.size() / ((System.nanoTime() - t0) / 1e9));
            Core.setNumThreads(1);
            t0 = System.nanoTime();
            peopleCounts = people(frames, gt.lastFrame());
            peopleFps.add(frames.size() / ((System.nanoTime() - t0) / 1e9));
            System.out.printf("run %d: plain HOG %.1f fps, people %.1f fps%n", r + 1, hogFps.get(r), peopleFps.get(r));
        }
        double hm = median(hogFps);
        double pm = median(peopleFps);
        System.out.println();
        System.out.println("| pipeline | frames/s (median of " + repeats + ") | ratio | in (truth " + truthIn + ") | out (truth "
                + truthOut + ") | counting error |");
        System.out.println("|---|---|---|---|---|---|");
        Objects.requireNonNull(hogCounts, "repeats");
        Objects.requireNonNull(peopleCounts, "repeats");
        System.out.printf("| plain full-frame HOG every frame (OpenCV %d threads) | %.1f | 1.00 | %d | %d | %d |%n",
                Runtime.getRuntime().availableProcessors(), hm, hogCounts[0], hogCounts[1],
                Math.abs(hogCounts[0] - truthIn) + Math.abs(hogCounts[1] - truthOut));
        System.out.printf("| people task, one worker thread | %.1f | %.2f | %d | %d | %d |%n", pm, pm / hm,
                peopleCounts[0], peopleCounts[1], Math.abs(peopleCounts[0] - truthIn) + Math.abs(peopleCounts[1] - truthOut));
        frames.forEach(Mat::release);
    }

    /** Full-frame HOG on every frame; returns {in, out} on frames up to lastFrame (1-based). */
    static long[] plainHog(List<Mat> frames, CountingLine line, int lastFrame) {
        HOGDescriptor hog = new HOGDescriptor();
        hog.setSVMDetector(HOGDescriptor.getDefaultPeopleDetector());
        Tracker tracker = new Tracker(Tracker.TrackerConfig.DEFAULT);
        LineCrossingCounter counter = new LineCrossingCounter(line, 0.15, 5);
        long in = 0;
        long out = 0;
        for (int i = 0; i < frames.size(); i++) {
            MatOfRect found = new MatOfRect();
            MatOfDouble weights = new MatOfDouble();
            hog.detectMultiScale(frames.get(i), found, weights, 0, new Size(8, 8), new Size(8, 8), 1.05, 2, false);
            List<Detection> dets = new ArrayList<>();
            for (Rect f : found.toArray()) {
                dets.add(new Detection(PersonExtent.ofHogWindow(f.x, f.y, f.width, f.height), 1));
            }
            found.release();
            weights.release();
            tracker.update(dets, i);
            List<Track> seen = tracker.tracks.stream().filter(t -> t.confirmed() && t.misses == 0).toList();
            for (LineCrossingCounter.Crossing c : counter.update(seen)) {
                if (i + 1 <= lastFrame) {
                    if (c.in()) {
                        in++;
                    } else {
                        out++;
                    }
                }
            }
        }
        return new long[]{in, out};
    }

    /** Further {@code people} parameters from the command line ({@code perspective=true}). */
    static final Map<String, String> EXTRA = new java.util.LinkedHashMap<>();

    static long[] people(List<Mat> frames, int lastFrame) throws Exception {
        PeopleTask task = new PeopleTask(new HogPersonDetector());
        Map<String, String> params = new java.util.LinkedHashMap<>(EXTRA);
        params.put("lines", "mid:384,0,384,576");
        long in = 0;
        long out = 0;
        try (StreamStateStore states = new StreamStateStore(Duration.ofMinutes(5))) {
            for (int i = 0; i < frames.size(); i++) {
                TaskResult r = task.run(new TaskContext("bench", i, i, i * 100_000L, frames.get(i), params,
                        states.acquire("bench", i)));
                for (Event e : r.getEventsList()) {
                    if (i + 1 <= lastFrame) {
                        if ("in".equals(e.getAttributesMap().get("direction"))) {
                            in++;
                        } else {
                            out++;
                        }
                    }
                }
            }
        }
        task.close();
        return new long[]{in, out};
    }

    static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        s.sort(Double::compare);
        return s.get(s.size() / 2);
    }
}
