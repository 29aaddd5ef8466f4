package io.argus.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.argus.cluster.embedded.EmbeddedZooKeeper;
import io.argus.cluster.ZkCredentials;
import io.argus.protocol.client.AgentConnection;
import io.argus.protocol.client.ConnectionListener;
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
import io.argus.cluster.AgentInfo;
import io.argus.protocol.v1.FrameRequest;
import io.argus.protocol.v1.TaskRequest;
import org.HdrHistogram.Recorder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * {@code argus soak --minutes N}: runs a small cluster flat out and checks that it stays healthy.
 *
 * <p>What runs: an embedded ZooKeeper and coordinator in this process, two agents as child JVMs
 * (1 worker each, 256 MiB heap), and {@code --streams} client-fed streams of looped footage with
 * mixed tasks, each offered as a live camera at {@code --fps} (default 10, the footage's rate,
 * several times what two cores carry for this mix: faces and text take 250-350 ms a frame): the agents run flat out, shed what they cannot carry, and the clients
 * thin their streams and drop at the source what finds no room, as deployed cameras do; the rate
 * that gets through is the highest the machine sustains. (Reading the footage as recordings
 * instead, every frame waiting for its turn, only measures how long frames queue behind a
 * saturated machine's refusals.) Halfway through, agent B is SIGKILLed and started again under
 * the same name.
 *
 * <p>What is judged, on agent A (which lives through the whole run), after {@code --warmup-seconds}
 * of unmeasured load: resident memory, live heap (heap in use right after a full collection that
 * the soak asks for with {@code jcmd PID GC.run} at every sample: without it, the heap in use is
 * wherever G1 happens to be in its cycle, which says nothing about leaks), direct buffers and open
 * file descriptors, the median of the last fifth of the measured run (at least three samples)
 * against the median of its first fifth, each within
 * {@code --tolerance} percent plus a small allowance for allocator granularity (16 MiB RSS, 8 MiB
 * heap and direct, 8 descriptors); every frame sent answered exactly once with no failed frame; results
 * still flowing after the restart; and, for runs of 3 minutes or more, median latency of the last
 * fifth within 1.5x of the first (no creep). Exit code 0 when all hold, 1 otherwise; the report
 * is one JSON object on stdout, with progress lines on stderr. The samples are {@link SoakSample}s,
 * the judgement {@link SoakVerdict}'s.
 */
@Command(name = "soak", mixinStandardHelpOptions = true,
        description = "Runs 2 agents flat out with an agent restart midway and checks memory, descriptors and latency stay flat.")
public final class SoakCommand implements Callable<Integer> {
    @Option(names = "--minutes", description = "Duration (default: ${DEFAULT-VALUE}).", defaultValue = "10")
    double minutes;

    @Option(names = "--streams", description = "Client-fed streams (default: ${DEFAULT-VALUE}).", defaultValue = "4")
    int streams;

    @Option(names = "--source", description = "Footage, looped (default: ${DEFAULT-VALUE}).", defaultValue = "assets/video/vtest.avi")
    String source;

    @Option(names = "--fps", description = "Frames offered per stream per second, as live cameras (default: "
            + "${DEFAULT-VALUE}, the footage's own rate: for this mix, several times what two cores carry, so the "
            + "agents run flat out and shed).", defaultValue = "10")
    double fps;

    @Option(names = "--tolerance", description = "Allowed growth in percent (default: ${DEFAULT-VALUE}).", defaultValue = "10")
    double tolerancePercent;

    @Option(names = "--sample-seconds", description = "Sampling period (default: ${DEFAULT-VALUE}).", defaultValue = "5")
    int sampleSeconds;

    @Option(names = "--warmup-seconds", description = "Load before measuring starts, not counted in --minutes: JIT, "
            + "pools, OCR engines and tracker models settle (default: ${DEFAULT-VALUE}).", defaultValue = "30")
    int warmupSeconds;

    /** Task sets handed to the streams in turn: counting, colour+faces, text, transport only. */
    static final List<List<String>> MIX = List.of(List.of("people"), List.of("color", "faces"), List.of("text"),
            List.of("noop", "color"));
    static final ObjectMapper JSON = new ObjectMapper();
    private final AtomicLong dropped = new AtomicLong();

    @Override
    public Integer call() throws Exception {
        long runNanos = (long) (minutes * 60e9);
        Path work = Files.createTempDirectory("argus-soak");
        List<SoakSample> samples = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        AtomicLong submitted = new AtomicLong();
        AtomicLong answered = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        Recorder latency = new Recorder(3);
        AgentProcess a = null;
        AgentProcess b = null;
        // closed to other local users like every embedded cluster: a credential of this run, 0600
        ZkCredentials credentials = ZkCredentials.generate();
        Path credentialsFile = work.resolve("zk-auth");
        credentials.writeTo(credentialsFile);
        List<String> auth = List.of("--zk-auth-file", credentialsFile.toString());
        try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.startRequiringAuth();
             Coordinator coordinator = Coordinator.start(CoordinatorConfig.builder().id("soak").zkConnect(zk.connectString())
                     .httpPort(0).dataDir(work.resolve("coordinator")).zkCredentials(credentials).build())) {
            a = AgentProcess.start(zk.connectString(), "soak-a", 1, work.resolve("soak-a.log"), auth);
            b = AgentProcess.start(zk.connectString(), "soak-b", 1, work.resolve("soak-b.log"), auth);
            try (ArgusClient client = ArgusClient.connect(zk.connectString(), "soak", "", null, credentials)) {
                if (client.awaitAgents(2, Duration.ofSeconds(30)).size() < 2) {
                    throw new IllegalStateException("the two agents did not register within 30 s");
                }
                warmEveryTask(client, "soak-a");
                long start = System.nanoTime() + TimeUnit.SECONDS.toNanos(warmupSeconds);
                long end = start + runNanos;
                List<CompletableFuture<Void>> pumps = new ArrayList<>();
                for (int i = 0; i < streams; i++) {
                    List<TaskRequest> tasks = MIX.get(i % MIX.size()).stream()
                            .map(t -> TaskRequest.newBuilder().setName(t).build()).toList();
                    StreamSpec spec = StreamSpec.builder("soak-" + i).tasks(tasks).window(4).build();
                    pumps.add(CompletableFuture.runAsync(() -> pump(client, spec, end, submitted, r -> {
                        answered.incrementAndGet();
                        if (r.failed()) {
                            failed.incrementAndGet();
                        }
                        latency.recordValue(Math.max(0, r.latencyUs()));
                    })));
                }
                boolean restarted = false;
                long answeredAtRestart = 0;
                HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
                System.err.printf("soak: %d s of warm-up, then %.1f minutes measured%n", warmupSeconds, minutes);
                Thread.sleep(Math.max(0, TimeUnit.NANOSECONDS.toMillis(start - System.nanoTime())));
                latency.getIntervalHistogram(); // the warm-up's latencies are not judged
                while (System.nanoTime() < end) {
                    Thread.sleep(sampleSeconds * 1000L);
                    long t = System.nanoTime() - start;
                    var h = latency.getIntervalHistogram();
                    SoakSample s = SoakSample.of(t, a, client.directory().agent("soak-a").orElse(null), http,
                            h.getTotalCount() / (double) sampleSeconds, h.getValueAtPercentile(50) / 1000.0,
                            h.getValueAtPercentile(99) / 1000.0);
                    samples.add(s);
                    System.err.printf("soak %5.0fs  %6.1f results/s  p50 %6.1f ms  p99 %7.1f ms  agent A: rss %5.0f MiB heap %5.0f MiB direct %4.0f MiB fds %d%n",
                            t / 1e9, s.resultsPerSecond(), s.p50Ms(), s.p99Ms(), s.rss() / 1048576.0, s.heap() / 1048576.0,
                            s.direct() / 1048576.0, (long) s.fds());
                    if (!a.process.isAlive() && problems.stream().noneMatch(x -> x.startsWith("agent A died"))) {
                        // a crash is the worst finding of all: report it with where to look
                        problems.add("agent A died with exit code " + a.process.exitValue() + "; its log and any JVM"
                                + " crash report are in " + work);
                        System.err.println("soak: " + problems.get(problems.size() - 1));
                    }
                    if (!restarted && t > runNanos / 2) {
                        System.err.println("soak: SIGKILL agent B and start it again");
                        b.kill();
                        b = AgentProcess.start(zk.connectString(), "soak-b", 1, work.resolve("soak-b-restarted.log"), auth);
                        restarted = true;
                        answeredAtRestart = answered.get();
                    }
                }
                for (CompletableFuture<Void> p : pumps) {
                    p.get(5, TimeUnit.MINUTES);
                }
                if (answered.get() <= answeredAtRestart) {
                    problems.add("no results after the restart");
                }
            }
        } finally {
            if (a != null) {
                a.kill();
            }
            if (b != null) {
                b.kill();
            }
        }
        ObjectNode report = new SoakVerdict(minutes, streams, fps, tolerancePercent)
                .judge(work, samples, submitted.get(), answered.get(), failed.get(), dropped.get(), problems);
        System.out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report));
        return problems.isEmpty() ? 0 : 1;
    }

    /**
     * Runs every task of the mix on the judged agent before anything is measured. Streams move
     * between agents (the restart, load shedding), so agent A may meet a task for the first time
     * mid-run, and its first use loads an engine for good (a Tesseract model is about 40 MB of
     * native memory per worker): growth that is not a leak, but would look like one.
     */
    private void warmEveryTask(ArgusClient client, String agentId) throws Exception {
        AgentInfo a = client.directory().agent(agentId).orElseThrow();
        FrameEncoder enc = FrameEncoder.jpeg(80);
        try (FrameSource src = Sources.open(source, true);
             AgentConnection conn = AgentConnection.connect(
                     new InetSocketAddress(a.payload().host(), a.payload().port()), client.connectionOptions(),
                     ConnectionListener.NONE).get(10, TimeUnit.SECONDS)) {
            for (int i = 0; i < MIX.size(); i++) {
                for (int n = 0; n < 3; n++) {
                    VideoFrame f = Objects.requireNonNull(src.next()); // a looping source does not end
                    var req = FrameRequest.newBuilder().setStreamId("soak-warmup-" + i)
                            .setSequence(n).setSourceIndex(f.index()).setImage(enc.encode(f));
                    MIX.get(i).forEach(t -> req.addTasks(TaskRequest.newBuilder().setName(t)));
                    conn.send(req.build()).get(60, TimeUnit.SECONDS);
                }
            }
        }
    }

    private void pump(ArgusClient client, StreamSpec spec, long endNanos, AtomicLong submitted,
                      Consumer<StreamResult> onResult) {
        FrameEncoder enc = FrameEncoder.jpeg(80);
        long period = (long) (1e9 / fps);
        try (FrameSource src = Sources.open(source, true); StreamSession s = client.open(spec, onResult::accept)) {
            VideoFrame f;
            long next = System.nanoTime();
            while (System.nanoTime() < endNanos && (f = src.next()) != null) {
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                next += period;
                // a camera: a frame that finds the window full, or that the stream's degradation
                // thins out while the agents shed load, is dropped here and counted, never queued
                VideoFrame frame = f;
                if (s.offer(f.index(), Envelopes.nowMicros(), 0, () -> enc.encode(frame), null)) {
                    submitted.incrementAndGet();
                } else {
                    dropped.incrementAndGet();
                }
            }
            if (!s.drain(Duration.ofMinutes(2))) {
                throw new IllegalStateException("stream " + spec.streamId() + " did not drain");
            }
        } catch (Exception e) {
            throw new IllegalStateException("stream " + spec.streamId() + ": " + e.getMessage(), e);
        }
    }
}
