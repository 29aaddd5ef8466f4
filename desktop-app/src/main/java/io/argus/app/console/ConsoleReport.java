package io.argus.app.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.management.OperatingSystemMXBean;
import io.argus.app.console.feed.FeedSnapshot;
import io.argus.app.console.model.ConsoleModel;
import io.argus.app.console.model.StreamViewModel;
import javafx.application.Platform;
import org.HdrHistogram.Histogram;

import java.io.BufferedWriter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Measures the console itself ({@code console --report FILE}): every period one JSON line with the
 * console process's CPU use (in cores), heap and resident memory, frames read, sent and dropped
 * over all tiles, and capture-to-screen latency (p50/p99 of the pictures the tiles put on screen
 * in that period), then a final line with the whole run. The figures are gathered on the JavaFX
 * thread with one {@code runLater} per period, so the report never races the views.
 */
public final class ConsoleReport implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "argus-console-report");
        t.setDaemon(true);
        return t;
    });
    private final ConsoleModel model;
    private final BufferedWriter out;
    private final Histogram total = new Histogram(3_600_000_000L, 2);
    private final long startNanos = System.nanoTime();
    private long lastCpuNanos = cpuNanos();
    private long lastNanos = System.nanoTime();
    private double cpuSum;
    private int periods;

    private ConsoleReport(ConsoleModel model, Path file) throws IOException {
        this.model = model;
        this.out = Files.newBufferedWriter(file);
    }

    public static ConsoleReport start(ConsoleModel model, Path file, int periodSeconds) throws IOException {
        ConsoleReport r = new ConsoleReport(model, file);
        r.timer.scheduleAtFixedRate(r::sample, periodSeconds, periodSeconds, TimeUnit.SECONDS);
        return r;
    }

    private record Tiles(int tiles, double fpsIn, double fpsOut, long dropped, long failed, Histogram latency) {
    }

    private Tiles gather() {
        Histogram h = new Histogram(3_600_000_000L, 2);
        double in = 0;
        double outFps = 0;
        long dropped = 0;
        long failed = 0;
        for (StreamViewModel vm : model.streams()) {
            FeedSnapshot s = vm.snapshot();
            in += s.fpsIn();
            outFps += s.fpsOut();
            dropped += s.dropped();
            failed += s.failed();
            h.add(vm.overlayLatencySinceLastCall());
        }
        return new Tiles(model.streams().size(), in, outFps, dropped, failed, h);
    }

    private synchronized void sample() {
        try {
            CompletableFuture<Tiles> f = new CompletableFuture<>();
            Platform.runLater(() -> f.complete(gather()));
            Tiles t = f.get(5, TimeUnit.SECONDS);
            long now = System.nanoTime();
            long cpu = cpuNanos();
            double cores = (cpu - lastCpuNanos) / (double) (now - lastNanos);
            lastCpuNanos = cpu;
            lastNanos = now;
            cpuSum += cores;
            periods++;
            total.add(t.latency);
            ObjectNode n = JSON.createObjectNode();
            n.put("t_s", Math.round((now - startNanos) / 1e9)).put("tiles", t.tiles)
                    .put("cpu_cores", round(cores)).put("heap_mb", round(heapBytes() / 1048576.0))
                    .put("rss_mb", round(rssBytes() / 1048576.0))
                    .put("fps_in", round(t.fpsIn)).put("fps_sent", round(t.fpsOut))
                    .put("dropped_total", t.dropped).put("failed_total", t.failed)
                    .put("screen_latency_p50_ms", round(t.latency.getValueAtPercentile(50) / 1000.0))
                    .put("screen_latency_p99_ms", round(t.latency.getValueAtPercentile(99) / 1000.0))
                    .put("pictures", t.latency.getTotalCount());
            out.write(JSON.writeValueAsString(n));
            out.newLine();
            out.flush();
        } catch (Exception e) {
            // a missed period (the UI was busy for 5 s): the next one covers it
        }
    }

    /** Writes the summary line; call once, before the console exits. */
    @Override
    public synchronized void close() {
        timer.shutdownNow();
        try {
            ObjectNode n = JSON.createObjectNode();
            n.put("summary", true).put("seconds", Math.round((System.nanoTime() - startNanos) / 1e9))
                    .put("mean_cpu_cores", round(periods == 0 ? 0 : cpuSum / periods))
                    .put("screen_latency_p50_ms", round(total.getValueAtPercentile(50) / 1000.0))
                    .put("screen_latency_p99_ms", round(total.getValueAtPercentile(99) / 1000.0))
                    .put("pictures", total.getTotalCount());
            out.write(JSON.writeValueAsString(n));
            out.newLine();
            out.close();
        } catch (IOException e) {
            // nothing to report to
        }
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private static long cpuNanos() {
        return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static long heapBytes() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static double rssBytes() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (l.startsWith("VmRSS:")) {
                    return Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return Double.NaN;
    }
}
