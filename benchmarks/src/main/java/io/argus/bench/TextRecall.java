package io.argus.bench;

import io.argus.media.image.OpenCv;
import io.argus.agent.state.StreamStateStore;
import io.argus.agent.task.TaskContext;
import io.argus.agent.task.text.LineRecognizer;
import io.argus.agent.task.text.PpOcrModels;
import io.argus.agent.task.text.TextLineDetector;
import io.argus.agent.task.text.TextTask;
import io.argus.protocol.v1.TaskResult;
import io.argus.task.api.text.TextEngine;
import io.argus.task.api.text.TextParams;
import io.argus.testing.WordSpotting;
import org.opencv.core.Mat;
import org.opencv.imgcodecs.Imgcodecs;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The text task in process on the scene photos of {@code assets/images/text/words.tsv}, with the
 * parameters given as {@code key=value} arguments: recall and precision against the words a
 * person reads, scored as ICDAR word spotting ({@link WordSpotting}: exact words, by instance and
 * by distinct word, with the false words listed), and milliseconds per photo, median
 * of ROUNDS passes after one warm-up pass, on one thread, split between finding lines and reading them.
 * Every engine ({@link TextEngine}) in turn, or the one an {@code engine=...} argument names.
 *
 * <p>Usage: {@code java -cp argus-benchmarks.jar io.argus.bench.TextRecall ROUNDS [key=value ...]}
 */
public final class TextRecall {
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    public static void main(String[] args) throws Exception {
        int rounds = Integer.parseInt(args[0]);
        Map<String, String> params = new HashMap<>(Map.of("agree", "1"));
        for (int i = 1; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            params.put(kv[0], kv[1]);
        }
        OpenCv.load();
        OpenCv.setThreads(1);
        Path root = BenchAssets.root();
        Map<String, List<String>> truth = new LinkedHashMap<>();
        for (String line : Files.readAllLines(root.resolve("images/text/words.tsv"))) {
            if (!line.isBlank() && !line.startsWith("#")) {
                String[] f = line.split("\t");
                truth.put(f[0], List.of(f[1].trim().split(" +")));
            }
        }
        Map<String, Mat> photos = new LinkedHashMap<>();
        for (String f : truth.keySet()) {
            photos.put(f, Imgcodecs.imread(root.resolve("images/text/" + f).toString()));
        }
        List<TextEngine> engines = params.containsKey("engine")
                ? List.of(TextParams.parse(params).engine()) : List.of(TextEngine.values());
        try (StreamStateStore states = new StreamStateStore(Duration.ofMinutes(1));
             TextTask task = new TextTask(new TextLineDetector(1280),
                     new LineRecognizer(root.resolve("models/tessdata"), "eng"), PpOcrModels.loadIfPresent())) {
            for (TextEngine engine : engines) {
                Map<String, String> p = new HashMap<>(params);
                p.put("engine", engine.key());
                measure(task, states, photos, truth, p, rounds);
            }
        } finally {
            photos.values().forEach(Mat::release);
        }
    }

    private static void measure(TextTask task, StreamStateStore states, Map<String, Mat> photos,
                                Map<String, List<String>> truth, Map<String, String> params, int rounds) throws Exception {
        TextParams cfg = TextParams.parse(params);
        List<Double> perPhoto = new ArrayList<>();
        List<Double> cpuPerPhoto = new ArrayList<>();
        WordSpotting score = new WordSpotting();
        StringBuilder perPhotoHits = new StringBuilder();
        StringBuilder readings = new StringBuilder();
        long index = 0;
        for (int round = 0; round <= rounds; round++) {
            long t0 = System.nanoTime();
            long c0 = CPU.getCurrentThreadCpuTime();
            for (Map.Entry<String, Mat> p : photos.entrySet()) {
                String stream = "recall-" + cfg.engine().key() + "-" + round + "-" + p.getKey().replace('.', '-');
                TaskResult r = task.run(new TaskContext(stream, index, index, index * 1000, p.getValue(), params,
                        states.acquire(stream, index)));
                index++;
                if (round == 0) {
                    List<String> words = Objects.requireNonNull(truth.get(p.getKey()));
                    int before = score.matchedInstances();
                    score.add(p.getKey(), words, allText(r));
                    readings.append("  ").append(p.getKey()).append(": ").append(allText(r).strip()).append('\n');
                    perPhotoHits.append(String.format(Locale.ROOT, " %s %d/%d", p.getKey().replace(".jpg", ""),
                            score.matchedInstances() - before, words.size()));
                }
            }
            if (round > 0) {
                perPhoto.add((System.nanoTime() - t0) / 1e6 / photos.size());
                cpuPerPhoto.add((CPU.getCurrentThreadCpuTime() - c0) / 1e6 / photos.size());
            }
        }
        perPhoto.sort(Double::compare);
        cpuPerPhoto.sort(Double::compare);
        // the line finder alone, to split the task's time: the rest is reading (and the sparse pass)
        List<Double> detectOnly = new ArrayList<>();
        List<Double> cpuDetectOnly = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            long t0 = System.nanoTime();
            long c0 = CPU.getCurrentThreadCpuTime();
            for (Mat m : photos.values()) {
                task.findLines(m, cfg);
            }
            detectOnly.add((System.nanoTime() - t0) / 1e6 / photos.size());
            cpuDetectOnly.add((CPU.getCurrentThreadCpuTime() - c0) / 1e6 / photos.size());
        }
        detectOnly.sort(Double::compare);
        cpuDetectOnly.sort(Double::compare);
        double total = perPhoto.get(perPhoto.size() / 2);
        double finding = detectOnly.get(detectOnly.size() / 2);
        double cpu = cpuPerPhoto.get(cpuPerPhoto.size() / 2);
        double cpuFinding = cpuDetectOnly.get(cpuDetectOnly.size() / 2);
        // CPU time of the one thread that runs everything (OpenCV, Tesseract and ONNX Runtime are all
        // set to one thread and compute on the caller's): on a machine shared with other work, wall
        // time measures the neighbours as much as the task
        System.out.printf(Locale.ROOT, "engine %s (ran as %s) %s: %s%n%.0f ms per photo (median of %d passes, one thread):"
                        + " finding lines %.0f ms, reading %.0f ms; CPU %.0f ms: finding %.0f, reading %.0f%n",
                cfg.engine().key(), task.effectiveEngine(cfg).key(), params, score.summary(), total, rounds, finding,
                total - finding, cpu, cpuFinding, cpu - cpuFinding);
        System.out.println("word instances read exactly per photo:" + perPhotoHits);
        System.out.println("missed: " + score.missedWords());
        System.out.print("read:\n" + readings);
        System.out.println();
    }

    static String allText(TaskResult r) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; r.containsStrings("text." + i); i++) {
            sb.append(r.getStringsOrThrow("text." + i)).append(' ');
        }
        return sb.toString();
    }

}
