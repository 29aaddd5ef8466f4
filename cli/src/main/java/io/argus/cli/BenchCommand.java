package io.argus.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.argus.cli.bench.BenchFrames;
import io.argus.cli.bench.ClusterLoad;
import io.argus.cli.bench.InProcessLoad;
import io.argus.cli.bench.LoadPlan;
import io.argus.cli.bench.StageRecorder;
import io.argus.cluster.ZkCredentials;
import io.argus.media.image.OpenCv;
import io.argus.client.ArgusClient;
import io.argus.client.FrameEncoder;
import io.argus.media.VideoFrame;
import io.argus.protocol.v1.Encoding;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.Locale;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

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
 *
 * <p>This class holds the options and the report; the load loops are in {@code io.argus.cli.bench}
 * ({@link ClusterLoad}, {@link InProcessLoad}, measured by {@link StageRecorder}), the agents it
 * starts in {@link BenchCluster}.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Load generator: frames/s, latency per stage, errors and drops through the cluster.")
public final class BenchCommand implements Callable<Integer> {
    @Option(names = "--zk", description = "Use a running cluster instead of starting agents here.")
    String zk;

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
    Path out;

    @Option(names = "--trace", description = "Also write one CSV line per measured frame to this file: capture "
            + "time, stream, total latency and each stage (to see when slow frames happen, not only how many).")
    Path trace;

    static final ObjectMapper JSON = new ObjectMapper();
    @SuppressWarnings("NullAway.Init") // made at the start of call(), before any use
    private StageRecorder recorder;

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
        recorder = new StageRecorder(trace != null);
        LoadPlan plan = new LoadPlan(streams, tasks, window, rate, warmupSeconds, seconds);
        if (inProcess) {
            InProcessLoad.run(plan, workers, frames, enc, recorder);
            return finish();
        }
        Path work = Files.createTempDirectory("argus-bench");
        try (BenchCluster cluster = zk == null ? BenchCluster.start(work, agents, workers, agentArgs) : null) {
            String connect = cluster == null ? zk : cluster.connect();
            ZkCredentials credentials = cluster == null ? null : cluster.credentials();
            try (ArgusClient client = ArgusClient.connect(connect, "bench", "", null, credentials)) {
                if (client.awaitAgents(Math.max(1, zk == null ? agents : 1), Duration.ofSeconds(30)).isEmpty()) {
                    throw new IllegalStateException("no agent in " + connect);
                }
                ClusterLoad.run(client, plan, frames, enc, recorder);
            }
        }
        return finish();
    }

    private int finish() throws java.io.IOException {
        ObjectNode report = report();
        String json = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report);
        if (out != null) {
            Files.writeString(out, json);
        }
        if (trace != null) {
            Files.write(trace, recorder.traceLines());
        }
        print(report);
        return recorder.errors() == 0 ? 0 : 1;
    }

    private ObjectNode report() {
        ObjectNode r = JSON.createObjectNode();
        r.put("streams", streams).put("tasks", String.join(",", tasks)).put("size", size).put("encoding", encoding)
                .put("rate_per_stream", rate).put("seconds", seconds).put("in_process", inProcess)
                .put("agents", inProcess ? 0 : zk == null ? agents : -1)
                .put("workers_per_agent", workers).put("frames_per_second", Math.round(recorder.ok() * 10.0 / seconds) / 10.0)
                .put("results_ok", recorder.ok()).put("errors", recorder.errors()).put("dropped", recorder.dropped());
        recorder.putLatencies(r.putObject("latency_ms"));
        return r;
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
        List<VideoFrame> out = BenchFrames.load(source, size);
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no frames in " + source);
        }
        return out;
    }
}
