package io.argus.bench;

import io.argus.media.image.OpenCv;
import io.argus.agent.state.StreamStateStore;
import io.argus.agent.task.TaskContext;
import io.argus.agent.task.text.LineRecognizer;
import io.argus.agent.task.text.TextLineDetector;
import io.argus.agent.task.text.TextTask;
import io.argus.protocol.v1.TaskResult;
import io.argus.task.api.text.TextParams;
import org.opencv.core.Mat;
import org.opencv.imgcodecs.Imgcodecs;

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
 * person reads (as the test and the OCR benchmark count them) and milliseconds per photo, median
 * of ROUNDS passes after one warm-up pass, on one thread. Shows what each part of the task buys.
 *
 * <p>Usage: {@code java -cp argus-benchmarks.jar io.argus.bench.TextRecall ROUNDS [key=value ...]}
 */
public final class TextRecall {
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
        TextLineDetector lineDetector = new TextLineDetector(1280);
        try (StreamStateStore states = new StreamStateStore(Duration.ofMinutes(1));
             TextTask task = new TextTask(lineDetector,
                     new LineRecognizer(root.resolve("models/tessdata"), "eng"))) {
            List<Double> perPhoto = new ArrayList<>();
            int found = 0;
            int expected = 0;
            int match = 0;
            int tokens = 0;
            StringBuilder perPhotoHits = new StringBuilder();
            long index = 0;
            for (int round = 0; round <= rounds; round++) {
                long t0 = System.nanoTime();
                for (Map.Entry<String, Mat> p : photos.entrySet()) {
                    String stream = "recall-" + round + "-" + p.getKey().replace('.', '-');
                    TaskResult r = task.run(new TaskContext(stream, index, index, index * 1000, p.getValue(), params,
                            states.acquire(stream, index)));
                    index++;
                    if (round == 0) {
                        String text = normalise(allText(r));
                        List<String> words = Objects.requireNonNull(truth.get(p.getKey()));
                        List<String> toks = List.of(text.split(" "));
                        int hits = 0;
                        for (String w : words) {
                            if (toks.stream().anyMatch(t -> t.contains(w))) {
                                found++;
                                hits++;
                            }
                        }
                        perPhotoHits.append(String.format(Locale.ROOT, " %s %d/%d", p.getKey().replace(".jpg", ""), hits,
                                words.size()));
                        expected += words.size();
                        for (String t : toks) {
                            if (t.length() >= 2) {
                                tokens++;
                                if (words.stream().anyMatch(t::contains)) {
                                    match++;
                                }
                            }
                        }
                    }
                }
                if (round > 0) {
                    perPhoto.add((System.nanoTime() - t0) / 1e6 / photos.size());
                }
            }
            perPhoto.sort(Double::compare);
            // the line finder alone (MSER and chaining), to split the task's time: the rest is Tesseract
            List<Double> detectOnly = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                long t0 = System.nanoTime();
                int maxSide = Integer.parseInt(params.getOrDefault("maxSide", Integer.toString(TextParams.DEFAULT_MAX_SIDE)));
                for (Mat m : photos.values()) {
                    lineDetector.detect(m, maxSide);
                }
                detectOnly.add((System.nanoTime() - t0) / 1e6 / photos.size());
            }
            detectOnly.sort(Double::compare);
            System.out.printf(Locale.ROOT, "text task %s: recall %d/%d = %.2f, precision %d/%d = %.2f, %.0f ms per photo"
                            + " (median of %d passes, one thread), of which finding lines %.0f ms%n", params, found, expected,
                    (double) found / expected, match, tokens, (double) match / Math.max(1, tokens),
                    perPhoto.get(perPhoto.size() / 2), rounds, detectOnly.get(detectOnly.size() / 2));
            System.out.println("words found per photo:" + perPhotoHits);
        } finally {
            photos.values().forEach(Mat::release);
        }
    }

    static String allText(TaskResult r) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; r.containsStrings("text." + i); i++) {
            sb.append(r.getStringsOrThrow("text." + i)).append(' ');
        }
        return sb.toString();
    }

    static String normalise(String s) {
        return s.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9 \n]", "").replaceAll("\\s+", " ").strip();
    }
}
