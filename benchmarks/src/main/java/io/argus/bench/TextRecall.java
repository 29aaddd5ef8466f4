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
import org.jspecify.annotations.Nullable;
import org.opencv.core.Mat;
import org.opencv.imgcodecs.Imgcodecs;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The text task in process on the scene photos of {@code assets/images/text/words.tsv}, with the
 * parameters given as {@code key=value} arguments: recall and precision against the words a
 * person reads, scored as ICDAR word spotting ({@link WordSpotting}: exact words, by instance and
 * by distinct word, with the false words listed), and milliseconds per photo, median
 * of ROUNDS passes after one warm-up pass, on one thread, split between finding lines and reading them.
 * Every engine ({@link TextEngine}) in turn, or the one an {@code engine=...} argument names.
 *
 * <p>{@code threads=N} (default 1) runs every pass on N threads at once, as an agent with N workers
 * does: one {@link TextTask} shared by all (the agent registers one; its Tesseract and ONNX Runtime
 * sessions are per thread), each thread reading every photo from its own copy (a worker's frames are
 * its own), starting at a different photo so the threads are not in step. The time reported is then
 * throughput, the wall time of a pass divided by the photos read in it by all threads, and the CPU
 * time is summed over the threads.
 *
 * <p>Usage: {@code java -cp argus-benchmarks.jar io.argus.bench.TextRecall ROUNDS [key=value ...]}
 */
public final class TextRecall {
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    /** What one thread does in a pass. */
    private interface Work {
        void run(int thread) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        int rounds = Integer.parseInt(args[0]);
        Map<String, String> params = new HashMap<>(Map.of("agree", "1"));
        int threads = 1;
        for (int i = 1; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            if (kv[0].equals("threads")) {
                threads = Integer.parseInt(kv[1]);
            } else {
                params.put(kv[0], kv[1]);
            }
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
        // photos.get(t): thread t's copy of every photo, in the order of truth's keys
        List<List<Mat>> photos = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            List<Mat> copy = new ArrayList<>();
            for (String f : truth.keySet()) {
                copy.add(Imgcodecs.imread(root.resolve("images/text/" + f).toString()));
            }
            photos.add(copy);
        }
        List<TextEngine> engines = params.containsKey("engine")
                ? List.of(TextParams.parse(params).engine()) : List.of(TextEngine.values());
        // one thread works on the caller, as before; more on a fixed pool, the same threads every
        // pass like an agent's workers, so that each keeps its own sessions from the warm-up pass
        ExecutorService pool = threads > 1 ? Executors.newFixedThreadPool(threads) : null;
        try (StreamStateStore states = new StreamStateStore(Duration.ofMinutes(1));
             TextTask task = new TextTask(new TextLineDetector(1280),
                     new LineRecognizer(root.resolve("models/tessdata"), "eng"), PpOcrModels.loadIfPresent())) {
            for (TextEngine engine : engines) {
                Map<String, String> p = new HashMap<>(params);
                p.put("engine", engine.key());
                measure(task, states, photos, truth, p, rounds, pool);
            }
        } finally {
            if (pool != null) {
                pool.shutdown();
            }
            photos.forEach(m -> m.forEach(Mat::release));
        }
    }

    private static void measure(TextTask task, StreamStateStore states, List<List<Mat>> photos,
                                Map<String, List<String>> truth, Map<String, String> params, int rounds,
                                @Nullable ExecutorService pool) throws Exception {
        TextParams cfg = TextParams.parse(params);
        int threads = photos.size();
        int n = photos.get(0).size();
        List<String> names = new ArrayList<>(truth.keySet());
        double photosPerPass = (double) threads * n;
        List<Double> perPhoto = new ArrayList<>();
        List<Double> cpuPerPhoto = new ArrayList<>();
        WordSpotting score = new WordSpotting();
        StringBuilder perPhotoHits = new StringBuilder();
        StringBuilder readings = new StringBuilder();
        // every thread's warm-up readings, [thread][photo]: threads sharing the task must read alike
        String[][] warmup = new String[threads][n];
        for (int round = 0; round <= rounds; round++) {
            int rnd = round;
            double[] ms = pass(pool, threads, t -> {
                for (int i = 0; i < n; i++) {
                    int k = (i + t * n / threads) % n; // thread t starts at its own photo
                    String name = names.get(k);
                    String stream = "recall-" + cfg.engine().key() + "-" + rnd + "-" + name.replace('.', '-')
                            + (threads > 1 ? "-t" + t : "");
                    long index = ((long) rnd * threads + t) * n + k;
                    TaskResult r = task.run(new TaskContext(stream, index, index, index * 1000,
                            photos.get(t).get(k), params, states.acquire(stream, index)));
                    if (rnd == 0) {
                        warmup[t][k] = allText(r);
                    }
                    // scored once, on thread 0's warm-up pass (the other threads read the same photos)
                    if (rnd == 0 && t == 0) {
                        List<String> words = Objects.requireNonNull(truth.get(name));
                        int before = score.matchedInstances();
                        score.add(name, words, allText(r));
                        readings.append("  ").append(name).append(": ").append(allText(r).strip()).append('\n');
                        perPhotoHits.append(String.format(Locale.ROOT, " %s %d/%d", name.replace(".jpg", ""),
                                score.matchedInstances() - before, words.size()));
                    }
                }
            });
            for (int t = 1; round == 0 && t < threads; t++) {
                if (!Arrays.equals(warmup[t], warmup[0])) {
                    System.out.println("WARNING: thread " + t + " read the photos differently from thread 0: "
                            + Arrays.toString(warmup[t]));
                }
            }
            if (round > 0) {
                perPhoto.add(ms[0] / photosPerPass);
                cpuPerPhoto.add(ms[1] / photosPerPass);
            }
        }
        perPhoto.sort(Double::compare);
        cpuPerPhoto.sort(Double::compare);
        // the line finder alone, to split the task's time: the rest is reading (and the sparse pass)
        List<Double> detectOnly = new ArrayList<>();
        List<Double> cpuDetectOnly = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            double[] ms = pass(pool, threads, t -> {
                for (Mat m : photos.get(t)) {
                    task.findLines(m, cfg);
                }
            });
            detectOnly.add(ms[0] / photosPerPass);
            cpuDetectOnly.add(ms[1] / photosPerPass);
        }
        detectOnly.sort(Double::compare);
        cpuDetectOnly.sort(Double::compare);
        double total = perPhoto.get(perPhoto.size() / 2);
        double finding = detectOnly.get(detectOnly.size() / 2);
        double cpu = cpuPerPhoto.get(cpuPerPhoto.size() / 2);
        double cpuFinding = cpuDetectOnly.get(cpuDetectOnly.size() / 2);
        // CPU time of the threads that run everything (OpenCV, Tesseract and ONNX Runtime are all
        // set to one thread and compute on the caller's): on a machine shared with other work, wall
        // time measures the neighbours as much as the task
        String how = threads == 1 ? "one thread" : threads + " threads at once, wall of a pass / photos read in it";
        System.out.printf(Locale.ROOT, "engine %s (ran as %s) %s: %s%n%.0f ms per photo (median of %d passes, %s):"
                        + " finding lines %.0f ms, reading %.0f ms; CPU %.0f ms: finding %.0f, reading %.0f%n",
                cfg.engine().key(), task.effectiveEngine(cfg).key(), params, score.summary(), total, rounds, how,
                finding, total - finding, cpu, cpuFinding, cpu - cpuFinding);
        System.out.println("word instances read exactly per photo:" + perPhotoHits);
        System.out.println("missed: " + score.missedWords());
        System.out.print("read:\n" + readings);
        System.out.println();
    }

    /**
     * Runs {@code work} for every thread at once and returns the pass's wall time and its CPU time
     * summed over the threads, in milliseconds. Without a pool, one thread: the caller.
     */
    private static double[] pass(@Nullable ExecutorService pool, int threads, Work work) throws Exception {
        long t0 = System.nanoTime();
        if (pool == null) {
            long c0 = CPU.getCurrentThreadCpuTime();
            work.run(0);
            return new double[]{(System.nanoTime() - t0) / 1e6, (CPU.getCurrentThreadCpuTime() - c0) / 1e6};
        }
        List<Future<Long>> cpu = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            cpu.add(pool.submit(() -> {
                long c0 = CPU.getCurrentThreadCpuTime();
                work.run(thread);
                return CPU.getCurrentThreadCpuTime() - c0;
            }));
        }
        long cpuNanos = 0;
        for (Future<Long> f : cpu) {
            cpuNanos += f.get();
        }
        return new double[]{(System.nanoTime() - t0) / 1e6, cpuNanos / 1e6};
    }

    static String allText(TaskResult r) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; r.containsStrings("text." + i); i++) {
            sb.append(r.getStringsOrThrow("text." + i)).append(' ');
        }
        return sb.toString();
    }

}
