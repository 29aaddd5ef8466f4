package io.argus.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.argus.cli.analyze.AnalyzeExtension;
import io.argus.cli.analyze.AnalyzeStats;
import io.argus.cli.analyze.AgentsReadFile;
import io.argus.cli.analyze.CompositePump;
import io.argus.cli.analyze.FileFrames;
import io.argus.cli.analyze.GroundTruth;
import io.argus.cli.analyze.ImageSaver;
import io.argus.cli.analyze.JsonLinesWriter;
import io.argus.cli.analyze.OpenedSources;
import io.argus.cli.analyze.RecordingClock;
import io.argus.cli.analyze.PeopleReport;
import io.argus.cli.analyze.Progress;
import io.argus.cli.analyze.ResultLines;
import io.argus.cli.analyze.SourcePump;
import io.argus.cli.analyze.segment.CompositeTasks;
import io.argus.cli.analyze.segment.ParallelAnalysis;
import io.argus.cli.analyze.segment.SegmentMerge;
import io.argus.media.segment.FrameTimes;
import io.argus.cli.analyze.TimeAlignedSources;
import io.argus.cli.analyze.segment.StitchConfig;
import io.argus.cli.demo.DemoCluster;
import io.argus.cli.eval.ShapeSpecs;
import io.argus.client.ArgusClient;
import io.argus.client.FrameEncoder;
import io.argus.client.ResultListener;
import io.argus.client.StreamSpec;
import io.argus.media.FrameSource;
import io.argus.media.SourceUnavailableException;
import io.argus.media.segment.SegmentConfig;
import io.argus.cluster.options.ZkAuthOptions;
import io.argus.cluster.ZkCredentials;
import io.argus.cluster.options.TlsOptions;
import io.argus.protocol.v1.Encoding;
import io.argus.protocol.v1.TaskRequest;
import io.argus.task.geom.ShapeLimits;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code argus analyze}: streams recorded footage (or live sources) through the cluster and writes
 * one JSON line per frame, in frame order per stream, then a summary line. This class holds the
 * options, what they mean as task requests, lines and zones, and the run's wiring; the sources are
 * opened by {@link OpenedSources} and fed by {@link SourcePump}, the people figures are
 * {@link PeopleReport}'s.
 */
@Command(name = "analyze", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs tasks on footage through the cluster and prints one JSON line per frame.",
                "Without --zk, an embedded cluster (ZooKeeper + two agents) is started in-process."})
public final class AnalyzeCommand implements Callable<Integer> {

    @Mixin
    ZkAuthOptions zkAuth = new ZkAuthOptions();

    @Mixin
    TlsOptions tls = new TlsOptions();

    @Mixin
    TokenOptions token = new TokenOptions();

    @Option(names = "--zk", description = "ZooKeeper connect string of a running cluster.")
    @Nullable String zk;

    @Option(names = "--source", required = true, description = "Video file, RTSP/HTTP URL, camera:N or image folder (repeatable: one stream each).")
    List<String> sources = new ArrayList<>();

    @Option(names = "--tasks", split = ",", defaultValue = "noop", description = "Tasks to run (default: ${DEFAULT-VALUE}).")
    List<String> tasks = new ArrayList<>();

    @Option(names = "--param", description = "Task parameter as task.key=value (repeatable), e.g. color.k=3.")
    Map<String, String> params = new LinkedHashMap<>();

    @Option(names = "--out", description = "Output file (JSON Lines); default standard output.")
    @Nullable Path out;

    @Option(names = "--fps", defaultValue = "0", description = "Frames per second to send per stream; 0 = as fast as possible (default).")
    double fps;

    @Option(names = "--window", defaultValue = "4", description = "Frames in flight per stream (default: ${DEFAULT-VALUE}).")
    int window;

    @Option(names = "--encoding", defaultValue = "jpeg", description = {
            "Frame encoding on the wire: jpeg, png or raw (default: ${DEFAULT-VALUE}); or file: the agents read each",
            "frame of the one recorded video file themselves (the same path on every agent, under a media root of",
            "the cluster's source policy that also grants --client-files; the embedded cluster allows the file's",
            "folder), nothing is decoded here."})
    String encoding;

    @Option(names = "--quality", defaultValue = "85", description = "JPEG quality 1-100 (default: ${DEFAULT-VALUE}).")
    int quality;

    @Option(names = "--max-frames", defaultValue = "0", description = "Stop each stream after this many frames; 0 = whole source.")
    long maxFrames;

    @Option(names = "--loop", description = "Loop files (with --max-frames or until interrupted).")
    boolean loop;

    @Option(names = "--agents", defaultValue = "2", description = "Agents of the embedded cluster (default: ${DEFAULT-VALUE}).")
    int embeddedAgents;

    @Option(names = "--timings", description = "Include per-stage timings in each line.")
    boolean timings;

    @Option(names = "--no-progress", description = "Never draw the progress bar.")
    boolean noProgress;

    @Option(names = "--line", paramLabel = "NAME:x1,y1,x2,y2", description = {
            "Counting line for the people task (repeatable). Crossing from the negative to the positive side of",
            "s = (x2-x1)(y-y1) - (y2-y1)(x-x1) counts 'in'; e.g. for 384,0,384,576 walking right to left is in."})
    List<String> lines = new ArrayList<>();

    @Option(names = "--zone", paramLabel = "NAME:x1,y1,x2,y2,x3,y3,...", description = "Zone polygon for occupancy and dwell (repeatable).")
    List<String> zones = new ArrayList<>();

    @Option(names = "--watch", paramLabel = "REGEX", description = "Watch-list pattern for the text task (repeatable; RE2 syntax, matched in linear time: no back-references or look-around; at most 64 patterns of 512 characters); a match raises a watch event.")
    List<String> watch = new ArrayList<>();

    @Option(names = "--mot-out", description = "Write tracks in MOTChallenge format (frame,id,x,y,w,h,score,-1,-1,-1; frames 1-based).")
    @Nullable Path motOut;

    @Option(names = "--gt", description = "MOTChallenge ground truth (gt.txt): score this run's tracks as py-motmetrics does "
            + "(CLEAR-MOT MOTA/MOTP, IDF1, ID switches, precision, recall at IoU 0.5), the counting error per line "
            + "and direction, and the occupancy error per frame and zone; the same report as 'argus eval'.")
    @Nullable Path groundTruth;

    @Option(names = "--save-images", paramLabel = "DIR", description = {
            "Write the pictures tasks return (annotate's frame, mosaic's wall, stitch's panorama) to",
            "DIR/STREAM/FRAME-TASK-NAME.jpg."})
    @Nullable Path saveImages;

    @Option(names = "--parallel", paramLabel = "N|auto", description = {
            "Cut the recorded file into segments at keyframes and run up to N at once, each a stream of its own on",
            "the cluster's agents; the output is merged back into one stream in frame order, each frame once,",
            "crossings counted by the segment that owns their frame (RELIABILITY.md). auto: the agents' workers.",
            "Several files composed (mosaic, stitch) are cut along the serial run's order of their frames."})
    @Nullable String parallel;

    /** With {@code --parallel} of files composed: their frames' times, read and checked before the cluster starts. */
    private @Nullable List<long[]> compositeTimes;

    @Option(names = "--segment-seconds", defaultValue = "" + SegmentConfig.DEFAULT_SEGMENT_SECONDS,
            description = "With --parallel: the longest a segment may be (default: ${DEFAULT-VALUE}); the file is cut into N equal segments, or a multiple of N when they would be longer.")
    double segmentSeconds;

    @Option(names = "--warm-up-seconds", defaultValue = "" + SegmentConfig.DEFAULT_WARM_UP_SECONDS,
            description = "With --parallel: footage processed before each segment, results discarded (default: ${DEFAULT-VALUE}).")
    double warmUpSeconds;

    @Option(names = "--recorded-at", paramLabel = "auto|capture|TIME", defaultValue = RecordingClock.AUTO, description = {
            "What a recorded file's events are dated from: auto (default) the recording's start, from the file's",
            "creation_time tag or else its modification time minus its duration; an ISO-8601 TIME such as",
            "2026-12-06T22:00:00Z; capture: when each frame is read here. Plus each frame's time in the file."})
    String recordedAt = RecordingClock.AUTO;

    @SuppressWarnings("NullAway.Init") // set first thing in call(), which picocli runs once
    private RecordingClock clock;

    final List<AnalyzeExtension> extensions = new ArrayList<>();
    @SuppressWarnings("NullAway.Init") // set first thing in call(), which picocli runs once
    private AnalyzeStats stats;

    /** Exit code of a run refused because a source cannot be opened (picocli's code for bad input). */
    public static final int EXIT_BAD_SOURCE = 2;

    /** Starts the embedded cluster; a field so that a test can see whether, and when, it was called. */
    @FunctionalInterface
    interface EmbeddedCluster {
        DemoCluster start(int agents, Path dataDir, String prefix) throws Exception;
    }

    EmbeddedCluster embeddedCluster = DemoCluster::start;

    @Override
    public Integer call() throws Exception {
        // the sources first, before anything is started: a mistyped path is answered in
        // milliseconds with what to check, not after ZooKeeper, a coordinator and agents came up
        try {
            clock = RecordingClock.parse(recordedAt);
        } catch (IllegalArgumentException e) {
            System.err.println("analyze: " + e.getMessage());
            return EXIT_BAD_SOURCE;
        }
        OpenedSources opened;
        try {
            opened = OpenedSources.open(sources, loop, maxFrames);
        } catch (SourceUnavailableException e) {
            System.err.println("analyze: " + e.getMessage());
            return EXIT_BAD_SOURCE;
        }
        if (parallel != null) {
            try {
                checkParallel(opened);
            } catch (IllegalArgumentException | IOException e) {
                opened.sources().forEach(FrameSource::close);
                System.err.println("analyze: " + e.getMessage());
                return EXIT_BAD_SOURCE;
            }
        }
        DemoCluster cluster = null;
        Path dataDir = null;
        String zkConnect = zk;
        ZkCredentials zkCredentials = zkAuth.credentials();
        try {
            if (zkConnect == null) {
                // ZooKeeper, a coordinator and the agents: the coordinator places the stream (and keeps
                // its checkpoints), exactly as on a real cluster
                dataDir = Files.createTempDirectory("argus-analyze");
                cluster = embeddedCluster.start(embeddedAgents, dataDir, "local-");
                zkConnect = cluster.zkConnect();
                zkCredentials = cluster.credentials();
            }
            try (ArgusClient client = ArgusClient.connect(zkConnect, "analyze", token.token(), tls.settings(),
                    zkCredentials);
                 JsonLinesWriter writer = JsonLinesWriter.open(out)) {
                if (client.awaitAgents(1, Duration.ofSeconds(15)).isEmpty()) {
                    System.err.println("analyze: no agent registered in " + zkConnect + " within 15 s");
                    return 3;
                }
                if (agentsRead()) {
                    Optional<String> refused = AgentsReadFile.check(client, sources, opened.sources(), loop,
                            CompositePump.composes(taskRequests()), cluster != null);
                    if (refused.isPresent()) {
                        System.err.println("analyze: --encoding file: " + refused.get());
                        return EXIT_BAD_SOURCE;
                    }
                }
                return run(client, writer, opened);
            }
        } finally {
            opened.sources().forEach(FrameSource::close);
            if (cluster != null) {
                cluster.close();
            }
            if (dataDir != null) {
                deleteTree(dataDir);
            }
        }
    }

    private static void deleteTree(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("analyze: could not remove " + dir + ": " + e.getMessage());
        }
    }

    /**
     * With only still photos (folders, single images) the text task reports a reading the first time
     * it is read ({@code agree=1}): a photo is seen once, and waiting for the default three sightings
     * would report nothing, not even a watch-list hit. An explicit {@code --param text.agree} wins,
     * and a run with any video keeps the default (the parameters are the run's, not per source).
     */
    static List<TaskRequest> stillsDefaults(List<TaskRequest> requests, List<FrameSource> sources) {
        if (sources.isEmpty() || !sources.stream().allMatch(FrameSource::stills)) {
            return requests;
        }
        return requests.stream().map(r -> r.getName().equals("text") && !r.containsParams("agree")
                ? r.toBuilder().putParams("agree", "1").build() : r).toList();
    }

    List<TaskRequest> taskRequests() {
        Map<String, TaskRequest.Builder> byName = new LinkedHashMap<>();
        for (String t : new LinkedHashSet<>(tasks)) {
            byName.put(t.trim(), TaskRequest.newBuilder().setName(t.trim()));
        }
        if (!lines.isEmpty() || !zones.isEmpty() || motOut != null || groundTruth != null) {
            byName.computeIfAbsent("people", k -> TaskRequest.newBuilder().setName("people"));
            if (!lines.isEmpty()) {
                byName.get("people").putParams("lines", String.join(";", lines));
            }
            if (!zones.isEmpty()) {
                byName.get("people").putParams("zones", String.join(";", zones));
            }
        }
        if (!watch.isEmpty()) {
            byName.computeIfAbsent("text", k -> TaskRequest.newBuilder().setName("text"));
            try {
                byName.get("text").putParams("watch", new ObjectMapper().writeValueAsString(watch));
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException(e);
            }
        }
        params.forEach((k, v) -> {
            int dot = k.indexOf('.');
            if (dot <= 0 || !byName.containsKey(k.substring(0, dot))) {
                throw new IllegalArgumentException("--param " + k + ": expected task.key with a task from --tasks");
            }
            Objects.requireNonNull(byName.get(k.substring(0, dot))).putParams(k.substring(dot + 1), v);
        });
        return byName.values().stream().map(TaskRequest.Builder::build).toList();
    }

    private int run(ArgusClient client, JsonLinesWriter writer, OpenedSources sourcesOpened) throws Exception {
        Encoding enc = switch (encoding.toLowerCase(Locale.ROOT)) {
            case "jpeg", "jpg", "file" -> Encoding.JPEG; // file: not used (no frame is encoded here)
            case "png" -> Encoding.PNG;
            case "raw" -> Encoding.RAW_BGR;
            default -> throw new IllegalArgumentException("--encoding must be jpeg, png, raw or file");
        };
        FileFrames files = agentsRead() ? FileFrames.of(sources.get(0)) : null;
        List<TaskRequest> requests = stillsDefaults(taskRequests(), sourcesOpened.sources());
        stats = new AnalyzeStats();
        List<FrameSource> opened = sourcesOpened.sources();
        List<String> streamNames = sourcesOpened.streamNames();
        long total = sourcesOpened.total();
        // with --parallel each segment shows its own progress instead
        Progress progress = new Progress(System.err, total, !noProgress && parallel == null && Progress.stderrLooksLikeTerminal());
        if (!lines.isEmpty() || !zones.isEmpty() || motOut != null || groundTruth != null) {
            extensions.add(new PeopleReport(parseLines(), parseZones(), motOut,
                    groundTruth == null ? null : GroundTruth.read(groundTruth), opened.size() > 1, System.err));
        }
        ImageSaver images = saveImages == null ? null : new ImageSaver(saveImages);
        if (images != null) {
            extensions.add(images);
        }
        // a parallel run's results are held until their turn without their pictures, saved as they come
        SegmentMerge.PictureSink pictures = images == null ? null : images::onResult;
        ResultListener listener = r -> {
            writer.write(ResultLines.line(r, timings));
            stats.record(r);
            progress.step();
            for (AnalyzeExtension x : extensions) {
                x.onResult(r);
            }
        };
        long t0 = System.nanoTime();
        ExecutorService readers = Executors.newFixedThreadPool(opened.size(), r -> {
            Thread t = new Thread(r, "argus-source");
            t.setDaemon(true);
            return t;
        });
        List<Future<?>> jobs = new ArrayList<>();
        SourcePump pump = new SourcePump(fps, maxFrames, stats);
        boolean composes = CompositePump.composes(requests);
        ParallelAnalysis segmented = parallel == null ? null : parallelAnalysis(client);
        if (segmented != null && composes) {
            // several files composed, cut along the serial run's order of their frames
            long[] offsets = TimeAlignedSources.offsets(opened, sources);
            jobs.add(readers.submit(() -> {
                segmented.runComposite(client, sources, Objects.requireNonNull(compositeTimes), offsets, CompositePump.STREAM, requests,
                        streamNames, window, listener, () -> new FrameEncoder(enc, quality), pictures, stats, System.err, !noProgress,
                        !noProgress && Progress.stderrLooksLikeTerminal());
                return null;
            }));
        } else if (segmented != null) {
            jobs.add(readers.submit(() -> {
                segmented.run(client, sources.get(0), streamNames.get(0), clock.startUs(opened.get(0), sources.get(0), System.err),
                        requests, window, listener,
                        () -> new FrameEncoder(enc, quality), files, pictures, stats, System.err, !noProgress,
                        !noProgress && Progress.stderrLooksLikeTerminal());
                return null;
            }));
        } else if (composes) {
            // mosaic and stitch compose the sources: one stream, the sources taking turns, each
            // frame tagged with its source's name as the tile or camera
            CompositePump composite = new CompositePump(fps, maxFrames, stats);
            jobs.add(readers.submit(() -> {
                composite.pump(client, opened, sources, streamNames, requests, window, listener, new FrameEncoder(enc, quality));
                return null;
            }));
        }
        for (int i = 0; i < opened.size() && !composes && segmented == null; i++) {
            FrameSource src = opened.get(i);
            StreamSpec spec = StreamSpec.builder(streamNames.get(i)).tasks(requests).window(window)
                    .recordedAt(clock.startUs(src, sources.get(i), System.err)).build();
            jobs.add(readers.submit(() -> {
                if (files != null) {
                    pump.pumpFile(client, files, spec, listener);
                } else {
                    pump.pump(client, src, spec, listener, new FrameEncoder(enc, quality));
                }
                return null;
            }));
        }
        try {
            for (Future<?> f : jobs) {
                f.get();
            }
        } finally {
            readers.shutdownNow();
        }
        progress.finish();
        ObjectNode summary = stats.toJson(System.nanoTime() - t0);
        for (AnalyzeExtension x : extensions) {
            x.summarize(summary);
            x.close();
        }
        ObjectNode line = JsonNodeFactory.instance.objectNode();
        line.set("summary", summary);
        writer.write(line);
        writer.flush();
        return stats.errors() > 0 ? 1 : 0;
    }

    private boolean agentsRead() {
        return "file".equalsIgnoreCase(encoding);
    }

    /**
     * {@code --parallel} (checked before the cluster started, {@link #checkParallel}): one recorded
     * file, or several composed, not looped, not paced, not cut short: what a segment is cut from must
     * be the whole file, read as fast as the agents go.
     */
    private ParallelAnalysis parallelAnalysis(ArgusClient client) throws InterruptedException {
        int n;
        if ("auto".equalsIgnoreCase(parallel)) {
            // every worker of every agent registered now: the coordinator places each segment stream
            n = Math.max(1, client.awaitAgents(1, Duration.ofSeconds(15)).stream().mapToInt(a -> a.payload().workers()).sum());
        } else {
            try {
                n = Integer.parseInt(Objects.requireNonNull(parallel));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--parallel must be a number or auto: " + parallel, e);
            }
        }
        return new ParallelAnalysis(SegmentConfig.builder().segmentSeconds(segmentSeconds).warmUpSeconds(warmUpSeconds).build(),
                StitchConfig.DEFAULT, n);
    }

    /**
     * What {@code --parallel} can cut: refused here, before the cluster starts, with the reason. Files
     * to compose have their frames' times read here ({@link #compositeTimes}).
     */
    private void checkParallel(OpenedSources sourcesOpened) throws IOException {
        List<FrameSource> opened = sourcesOpened.sources();
        boolean composes = CompositePump.composes(taskRequests());
        boolean recorded = opened.stream().allMatch(s -> !s.live() && !s.stills() && s.frameCount() > 0);
        if (!recorded || (opened.size() != 1 && !composes)) {
            throw new IllegalArgumentException("--parallel needs one recorded video file as --source, or several composed by mosaic or stitch");
        }
        if (loop || maxFrames > 0 || fps > 0) {
            throw new IllegalArgumentException("--parallel cannot be combined with --loop, --max-frames or --fps");
        }
        if (composes) {
            CompositeTasks.check(taskRequests(), sourcesOpened.streamNames());
            compositeTimes = ParallelAnalysis.compositeTimes(sources, opened.stream().map(FrameSource::frameRate).toList());
        } else {
            // a segment is reached by seeking to a frame number: only exact where frames are evenly spaced
            FrameTimes.checkEvenlySpaced(sources.get(0), FrameTimes.read(sources.get(0)), opened.get(0).frameRate());
        }
        if (!"auto".equalsIgnoreCase(parallel)) {
            try {
                if (Integer.parseInt(Objects.requireNonNull(parallel)) < 1) {
                    throw new IllegalArgumentException("--parallel must be at least 1: " + parallel);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--parallel must be a number or auto: " + parallel, e);
            }
        }
    }

    /** The same syntax and checks as {@code argus eval} ({@link ShapeSpecs}). */
    private List<PeopleReport.NamedLine> parseLines() {
        List<PeopleReport.NamedLine> out = new ArrayList<>();
        ShapeSpecs.checkCount("--line", lines.size(),
                ShapeLimits.DEFAULT.maxLines());
        for (String l : lines) {
            var line = ShapeSpecs.line(l);
            out.add(new PeopleReport.NamedLine(line.name(), line.p1(), line.p2()));
        }
        return out;
    }

    private List<PeopleReport.NamedZone> parseZones() {
        List<PeopleReport.NamedZone> out = new ArrayList<>();
        ShapeSpecs.checkCount("--zone", zones.size(),
                ShapeLimits.DEFAULT.maxZones());
        for (String z : zones) {
            var zone = ShapeSpecs.zone(z);
            out.add(new PeopleReport.NamedZone(zone.name(), zone.polygon()));
        }
        return out;
    }
}
