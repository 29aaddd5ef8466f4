package io.argus.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.argus.agent.AgentConfig;
import io.argus.agent.embedded.EmbeddedZooKeeper;
import io.argus.agent.embedded.InProcessPipeline;
import io.argus.agent.exec.LaneJob;
import io.argus.protocol.cluster.ZkCredentials;
import io.argus.agent.image.OpenCv;
import io.argus.client.ArgusClient;
import io.argus.client.FrameEncoder;
import io.argus.client.StreamResult;
import io.argus.client.StreamSession;
import io.argus.client.StreamSpec;
import io.argus.coordinator.Coordinator;
import io.argus.coordinator.CoordinatorConfig;
import io.argus.media.FrameSource;
import io.argus.media.Sources;
import io.argus.media.VideoFrame;
import io.argus.protocol.Envelopes;
import io.argus.protocol.v1.Code;
import io.argus.protocol.v1.Encoding;
import io.argus.protocol.v1.FrameRequest;
import io.argus.protocol.v1.FrameResult;
import io.argus.protocol.v1.Image;
import io.argus.protocol.v1.StageTiming;
import io.argus.protocol.v1.TaskRequest;
import io.argus.task.api.TaskException;
import org.HdrHistogram.Histogram;
import org.jspecify.annotations.Nullable;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code argus bench}: the load generator. {@code --streams} streams send frames of
 * {@code --size} in {@code --encoding} to the cluster, at {@code --rate} frames/s each (open loop:
 * a frame that finds the window full is dropped and counted, as a live camera would) or as fast as
 * the window allows ({@code --rate 0}, closed loop), for {@code --seconds} after
 * {@code --warmup-seconds}. Agents: an existing cluster ({@code --zk}) or {@code --agents} child
 * agent JVMs with {@code --workers} each, started here.
 *
 * <p>Reports frames/s, errors, drops and latency percentiles (HdrHistogram) at each stage of a
 * frame's way: {@code encode} (client), {@code send} (capture to arrival at the agent, minus
 * encode), {@code queue}, {@code decode} and {@code task.NAME} on the agent, {@code agent} (arrival
 * to result), {@code return} (result to the client), and {@code total} (capture to result).
 * Overlay drawing is measured by the console itself ({@code console --report}).
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Load generator: frames/s, latency per stage, errors and drops through the cluster.")
public final class BenchCommand implements Callable<Integer> {
    @Option(names = "--zk", description = "Use a running cluster instead of starting agents here.")
    @Nullable String zk;

    @Option(names = "--agents", description = "Agent JVMs to start when no --zk is given (default: ${DEFAULT-VALUE}).", defaultValue = "1")
    int agents;

    @Option(names = "--workers", description = "Workers per started agent (default: ${DEFAULT-VALUE}).", defaultValue = "1")
    int workers;

    @Option(names = "--streams", description = "Streams (default: ${DEFAULT-VALUE}).", defaultValue = "1")
    int streams;

    @Option(names = "--tasks", split = ",", description = "Tasks per frame (default: ${DEFAULT-VALUE}).", defaultValue = "noop")
    List<String> tasks;

    @Option(names = "--size", description = "Frame size WxH (default: ${DEFAULT-VALUE}).", defaultValue = "640x480")
    String size;

    @Option(names = "--encoding", description = "jpeg, png or raw (default: ${DEFAULT-VALUE}).", defaultValue = "jpeg")
    String encoding;

    @Option(names = "--quality", description = "JPEG quality (default: ${DEFAULT-VALUE}).", defaultValue = "80")
    int quality;

    @Option(names = "--rate", description = "Frames/s per stream, open loop; 0 = as fast as the window allows (default: ${DEFAULT-VALUE}).", defaultValue = "0")
    double rate;

    @Option(names = "--window", description = "Frames in flight per stream (default: ${DEFAULT-VALUE}).", defaultValue = "8")
    int window;

    @Option(names = "--seconds", description = "Measured duration (default: ${DEFAULT-VALUE}).", defaultValue = "20")
    int seconds;

    @Option(names = "--warmup-seconds", description = "Unmeasured load first (default: ${DEFAULT-VALUE}).", defaultValue = "5")
    int warmupSeconds;

    @Option(names = "--source", description = "Footage the frames come from (default: ${DEFAULT-VALUE}).", defaultValue = "assets/video/vtest.avi")
    String source;

    @Option(names = "--agent-arg", description = "An option for the agents started here, repeatable "
            + "(e.g. --agent-arg=--shed-cpu --agent-arg=0). JVM options: ARGUS_AGENT_JAVA_OPTS.")
    List<String> agentArgs = new ArrayList<>();

    @Option(names = "--in-process", description = "Run the tasks in this JVM through the agent's own pipeline and "
            + "workers, without network or agents: the baseline of the cluster hop.")
    boolean inProcess;

    @Option(names = "--out", description = "Also write the report as JSON to this file.")
    @Nullable Path out;

    @Option(names = "--trace", description = "Also write one CSV line per measured frame to this file: capture "
            + "time, stream, total latency and each stage (to see when slow frames happen, not only how many).")
    @Nullable Path trace;

    static final ObjectMapper JSON = new ObjectMapper();
    private final Map<String, Histogram> stages = new LinkedHashMap<>();
    /** Per-frame lines for --trace, kept in memory (a few MB) and written at the end. */
    private final List<String> traced = new ArrayList<>();
    private final AtomicLong ok = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private volatile long measureFromUs;
    private volatile long measureToUs = Long.MAX_VALUE;

    @Override
    public Integer call() throws Exception {
        OpenCv.load();
        List<VideoFrame> frames = frames();
        FrameEncoder enc = new FrameEncoder(switch (encoding.toLowerCase(Locale.ROOT)) {
            case "jpeg", "jpg" -> Encoding.JPEG;
            case "png" -> Encoding.PNG;
            case "raw" -> Encoding.RAW_BGR;
            default -> throw new IllegalArgumentException("--encoding must be jpeg, png or raw");
        }, quality);
        if (inProcess) {
            runInProcess(frames, enc);
            return finish();
        }
        Path work = Files.createTempDirectory("argus-bench");
        List<AgentProcess> started = new ArrayList<>();
        EmbeddedZooKeeper embedded = null;
        Coordinator coordinator = null;
        ZkCredentials credentials = null;
        try {
            String connect = zk;
            if (connect == null) {
                // closed to other local users like every embedded cluster: a credential of this run, 0600
                credentials = ZkCredentials.generate();
                Path credentialsFile = work.resolve("zk-auth");
                credentials.writeTo(credentialsFile);
                embedded = EmbeddedZooKeeper.startRequiringAuth();
                connect = embedded.connectString();
                // the same placement authority and checkpoint store as a real cluster: one owner
                // per stream, sticky, so that what is measured is what a cluster does
                coordinator = Coordinator.start(CoordinatorConfig.builder()
                        .id("bench-coordinator").zkConnect(connect).bindHost("127.0.0.1").advertiseHost("127.0.0.1")
                        .httpPort(0).dataDir(work.resolve("coordinator")).zkCredentials(credentials).build());
                List<String> args = new ArrayList<>(agentArgs);
                args.addAll(List.of("--zk-auth-file", credentialsFile.toString()));
                for (int i = 1; i <= agents; i++) {
                    started.add(AgentProcess.start(connect, "bench-" + i, workers, work.resolve("bench-" + i + ".log"),
                            args));
                }
            }
            try (ArgusClient client = ArgusClient.connect(connect, "bench", "", null, credentials)) {
                if (client.awaitAgents(Math.max(1, zk == null ? agents : 1), Duration.ofSeconds(30)).isEmpty()) {
                    throw new IllegalStateException("no agent in " + connect);
                }
                long start = System.nanoTime();
                long measureFrom = start + TimeUnit.SECONDS.toNanos(warmupSeconds);
                long end = measureFrom + TimeUnit.SECONDS.toNanos(seconds);
                measureFromUs = Envelopes.nowMicros() + TimeUnit.SECONDS.toMicros(warmupSeconds);
                measureToUs = measureFromUs + TimeUnit.SECONDS.toMicros(seconds);
                List<CompletableFuture<Void>> pumps = new ArrayList<>();
                for (int s = 0; s < streams; s++) {
                    int offset = s * 17;
                    StreamSpec spec = StreamSpec.builder("bench-" + s).window(window)
                            .tasks(tasks.stream().map(t -> TaskRequest.newBuilder().setName(t.trim()).build()).toList())
                            .build();
                    pumps.add(CompletableFuture.runAsync(() -> pump(client, spec, frames, offset, enc, end)));
                }
                for (CompletableFuture<Void> p : pumps) {
                    p.get(seconds + warmupSeconds + 120L, TimeUnit.SECONDS);
                }
            }
        } finally {
            for (AgentProcess a : started) {
                a.stop(20); // a clean exit, so that a profiler started with ARGUS_AGENT_JAVA_OPTS writes its file
            }
            if (coordinator != null) {
                coordinator.close();
            }
            if (embedded != null) {
                embedded.close();
            }
        }
        return finish();
    }

    private int finish() throws IOException {
        ObjectNode report = report();
        String json = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report);
        if (out != null) {
            Files.writeString(out, json);
        }
        if (trace != null) {
            List<String> lines = new ArrayList<>();
            lines.add("capture_us,stream,total_us,encode_us," + String.join("_us,", TRACE_STAGES) + "_us");
            synchronized (stages) {
                lines.addAll(traced);
            }
            Files.write(trace, lines);
        }
        print(report);
        return errors.get() == 0 ? 0 : 1;
    }

    /**
     * The baseline of the cluster hop: the same frames, encoded the same way, through the same
     * tasks, decoder and ordered worker lanes ({@code --workers} of them) as an agent would run,
     * called in this JVM without network, protocol or client library.
     */
    private void runInProcess(List<VideoFrame> frames, FrameEncoder enc) throws Exception {
        try (InProcessPipeline local = InProcessPipeline.create(
                AgentConfig.builder().agentId("in-process").workers(workers).build())) {
            long start = System.nanoTime();
            long end = start + TimeUnit.SECONDS.toNanos(warmupSeconds + seconds);
            measureFromUs = Envelopes.nowMicros() + TimeUnit.SECONDS.toMicros(warmupSeconds);
            measureToUs = measureFromUs + TimeUnit.SECONDS.toMicros(seconds);
            List<TaskRequest> taskRequests = tasks.stream().map(t -> TaskRequest.newBuilder().setName(t.trim()).build())
                    .toList();
            List<CompletableFuture<Void>> pumps = new ArrayList<>();
            for (int s = 0; s < streams; s++) {
                int offset = s * 17;
                String stream = "bench-" + s;
                pumps.add(CompletableFuture.runAsync(() -> pumpInProcess(local, stream, taskRequests, frames, offset,
                        enc, end)));
            }
            for (CompletableFuture<Void> p : pumps) {
                p.get(seconds + warmupSeconds + 120L, TimeUnit.SECONDS);
            }
        }
    }

    private void pumpInProcess(InProcessPipeline local, String stream, List<TaskRequest> taskRequests,
                               List<VideoFrame> frames, int offset, FrameEncoder enc, long end) {
        Semaphore inFlight = new Semaphore(window);
        long period = rate > 0 ? (long) (1e9 / rate) : 0;
        long next = System.nanoTime();
        try {
            for (long k = 0; System.nanoTime() < end; k++) {
                if (period > 0) {
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    next += period;
                }
                VideoFrame f = frames.get((int) ((k + offset) % frames.size()));
                long captureUs = Envelopes.nowMicros();
                long t0 = System.nanoTime();
                Image img = enc.encode(f);
                long[] ctx = {(System.nanoTime() - t0) / 1_000};
                if (period > 0) {
                    if (!inFlight.tryAcquire()) {
                        if (captureUs >= measureFromUs && captureUs < measureToUs) {
                            dropped.incrementAndGet();
                        }
                        continue;
                    }
                } else {
                    inFlight.acquire();
                }
                FrameRequest req = FrameRequest.newBuilder().setStreamId(stream)
                        .setSequence(k).setSourceIndex(k).setCaptureTimeUs(captureUs).setImage(img)
                        .addAllTasks(taskRequests).build();
                long received = System.nanoTime();
                sent.incrementAndGet();
                String refusal = local.lanes().submit(stream, new LaneJob() {
                    @Override
                    public void run() {
                        try {
                            FrameResult r = local.pipeline().process(req, received);
                            record(new StreamResult(stream, req.getSourceIndex(), r, Code.OK, "",
                                    "in-process", captureUs, Envelopes.nowMicros() - captureUs, 1, ctx));
                        } catch (TaskException e) {
                            record(new StreamResult(stream, req.getSourceIndex(), null, e.code(), e.getMessage(),
                                    "in-process", captureUs, Envelopes.nowMicros() - captureUs, 1, ctx));
                        } finally {
                            inFlight.release();
                        }
                    }

                    @Override
                    public void abort(Code code, String reason) {
                        record(new StreamResult(stream, req.getSourceIndex(), null, code, reason, "in-process", captureUs,
                                Envelopes.nowMicros() - captureUs, 1, ctx));
                        inFlight.release();
                    }
                });
                if (refusal != null) {
                    inFlight.release();
                    errors.incrementAndGet();
                }
            }
            inFlight.acquire(window); // the last answers
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void pump(ArgusClient client, StreamSpec spec, List<VideoFrame> frames, int offset, FrameEncoder enc, long end) {
        long period = rate > 0 ? (long) (1e9 / rate) : 0;
        long next = System.nanoTime();
        try (StreamSession s = client.open(spec, this::record)) {
            for (long k = 0; System.nanoTime() < end; k++) {
                if (period > 0) {
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    next += period;
                }
                VideoFrame f = frames.get((int) ((k + offset) % frames.size()));
                long captureUs = Envelopes.nowMicros();
                long t0 = System.nanoTime();
                Image img = enc.encode(f);
                long[] ctx = {(System.nanoTime() - t0) / 1_000};
                if (period > 0) {
                    if (s.offer(k, captureUs, 0, img, ctx)) {
                        sent.incrementAndGet();
                    } else if (captureUs >= measureFromUs && captureUs < measureToUs) {
                        dropped.incrementAndGet();
                    }
                } else {
                    s.submit(k, captureUs, img, ctx);
                    sent.incrementAndGet();
                }
            }
            s.drain(Duration.ofSeconds(60));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void record(StreamResult r) {
        if (r.captureUs() < measureFromUs || r.captureUs() >= measureToUs) {
            return;
        }
        if (r.failed()) {
            errors.incrementAndGet();
            return;
        }
        ok.incrementAndGet();
        long encodeUs = r.context() instanceof long[] c ? c[0] : 0;
        long total = r.latencyUs();
        long toAgent = -1;
        long agent = -1;
        synchronized (stages) {
            for (StageTiming t : r.okResult().getTimingsList()) {
                switch (t.getStage()) {
                    case "capture_to_agent" -> toAgent = t.getMicros();
                    case "agent" -> {
                        agent = t.getMicros();
                        add("agent", agent);
                    }
                    default -> add(t.getStage(), t.getMicros());
                }
            }
            add("encode", encodeUs);
            if (toAgent >= 0) {
                add("send", toAgent - encodeUs);
                if (agent >= 0) {
                    add("return", total - toAgent - agent);
                }
            }
            add("total", total);
            if (trace != null) {
                StringBuilder line = new StringBuilder().append(r.captureUs()).append(',').append(r.streamId())
                        .append(',').append(total).append(',').append(encodeUs);
                for (String stage : TRACE_STAGES) {
                    long v = -1;
                    for (StageTiming t : r.okResult().getTimingsList()) {
                        if (t.getStage().equals(stage) || (stage.equals("task") && t.getStage().startsWith("task."))) {
                            v = t.getMicros();
                        }
                    }
                    line.append(',').append(v);
                }
                traced.add(line.toString());
            }
        }
    }

    private static final List<String> TRACE_STAGES = List.of("capture_to_agent", "queue", "decode", "task", "agent");

    private void add(String stage, long micros) {
        stages.computeIfAbsent(stage, k -> new Histogram(3_600_000_000L, 3)).recordValue(Math.max(0, Math.min(micros, 3_600_000_000L)));
    }

    private ObjectNode report() {
        ObjectNode r = JSON.createObjectNode();
        r.put("streams", streams).put("tasks", String.join(",", tasks)).put("size", size).put("encoding", encoding)
                .put("rate_per_stream", rate).put("seconds", seconds).put("in_process", inProcess)
                .put("agents", inProcess ? 0 : zk == null ? agents : -1)
                .put("workers_per_agent", workers).put("frames_per_second", Math.round(ok.get() * 10.0 / seconds) / 10.0)
                .put("results_ok", ok.get()).put("errors", errors.get()).put("dropped", dropped.get());
        ObjectNode st = r.putObject("latency_ms");
        List<String> order = new ArrayList<>(List.of("encode", "send", "queue", "decode"));
        stages.keySet().stream().filter(k -> k.startsWith("task.")).forEach(order::add);
        order.addAll(List.of("agent", "return", "total"));
        for (String k : order) {
            Histogram h = stages.get(k);
            if (h == null || h.getTotalCount() == 0) {
                continue;
            }
            st.putObject(k).put("p50", ms(h.getValueAtPercentile(50))).put("p95", ms(h.getValueAtPercentile(95)))
                    .put("p99", ms(h.getValueAtPercentile(99))).put("max", ms(h.getMaxValue()));
        }
        return r;
    }

    private static double ms(long micros) {
        return Math.round(micros / 10.0) / 100.0;
    }

    private static void print(ObjectNode r) {
        System.out.printf("%s x%d %s %s: %.1f frames/s, %d errors, %d dropped%n", r.get("tasks").asText(),
                r.get("streams").asInt(), r.get("size").asText(), r.get("encoding").asText(),
                r.get("frames_per_second").asDouble(), r.get("errors").asLong(), r.get("dropped").asLong());
        System.out.printf("%-16s %9s %9s %9s %9s%n", "stage (ms)", "p50", "p95", "p99", "max");
        r.get("latency_ms").properties().forEach(e -> System.out.printf("%-16s %9.2f %9.2f %9.2f %9.2f%n",
                e.getKey(), e.getValue().get("p50").asDouble(), e.getValue().get("p95").asDouble(),
                e.getValue().get("p99").asDouble(), e.getValue().get("max").asDouble()));
    }

    /** Up to 200 frames of the source at --size, decoded once: the load costs no decoding. */
    private List<VideoFrame> frames() throws Exception {
        String[] wh = size.toLowerCase(Locale.ROOT).split("x");
        int w = Integer.parseInt(wh[0]);
        int h = Integer.parseInt(wh[1]);
        List<VideoFrame> out = new ArrayList<>();
        try (FrameSource src = Sources.open(source, false)) {
            VideoFrame f;
            while (out.size() < 200 && (f = src.next()) != null) {
                Mat m = new Mat(f.height(), f.width(), CvType.CV_8UC3);
                Mat scaled = new Mat();
                try {
                    m.put(0, 0, f.bgr());
                    Imgproc.resize(m, scaled, new Size(w, h), 0, 0, Imgproc.INTER_AREA);
                    byte[] bgr = new byte[w * h * 3];
                    scaled.get(0, 0, bgr);
                    out.add(new VideoFrame(f.index(), f.timestampUs(), w, h, bgr));
                } finally {
                    m.release();
                    scaled.release();
                }
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no frames in " + source);
        }
        return out;
    }
}
