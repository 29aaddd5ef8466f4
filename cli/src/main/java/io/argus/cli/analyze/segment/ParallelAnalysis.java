package io.argus.cli.analyze.segment;

import io.argus.cli.analyze.AnalyzeStats;
import io.argus.cli.analyze.FileFrames;
import io.argus.client.ArgusClient;
import io.argus.client.FrameEncoder;
import io.argus.client.ResultListener;
import io.argus.client.StreamSpec;
import io.argus.media.segment.FrameTimes;
import io.argus.media.segment.KeyframeIndex;
import io.argus.media.segment.Segment;
import io.argus.media.segment.SegmentConfig;
import io.argus.media.segment.SegmentPlan;
import io.argus.protocol.v1.TaskRequest;
import org.jspecify.annotations.Nullable;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * {@code analyze --parallel N}: one recorded file cut at keyframes ({@link SegmentPlan}), at most
 * {@code N} segments in flight at once, each a stream of its own named {@code STREAM.segK} that the
 * coordinator places on an agent like any stream (so segments go where there is capacity), and
 * their results merged back into one stream named {@code STREAM} ({@link SegmentMerge}). Segments
 * are started in file order, so the merge can emit early and holds few results.
 */
public final class ParallelAnalysis {
    /** Suffix of a segment's stream id before its number: stream names allow {@code [A-Za-z0-9._-]}. */
    public static final String SEGMENT_SUFFIX = ".seg";

    private final SegmentConfig segments;
    private final StitchConfig stitch;
    private final int parallel;

    public ParallelAnalysis(SegmentConfig segments, StitchConfig stitch, int parallel) {
        if (parallel < 1) {
            throw new IllegalArgumentException("--parallel must be at least 1: " + parallel);
        }
        this.segments = segments;
        this.stitch = stitch;
        this.parallel = parallel;
    }

    public List<Segment> plan(String path) throws java.io.IOException {
        return plan(KeyframeIndex.read(path));
    }

    /** The segments of a file whose packets were already read. */
    public List<Segment> plan(KeyframeIndex index) {
        return SegmentPlan.plan(index, segments, parallel);
    }

    /**
     * Runs the file; {@code listener} gets its results as one stream, in frame order, each frame once.
     *
     * @param stream       the run's stream name; each segment's stream is named after it
     * @param recordedAtUs the recording's start, which every segment dates its events from, as a serial
     *                     run does ({@link StreamSpec.Builder#recordedAt}); 0: dated by capture time
     * @param files        non-null: the agents read the frames from the file themselves ({@code --encoding file})
     * @param pictures     takes the pictures tasks return as they arrive; null: nobody wants them
     */
    public void run(ArgusClient client, String path, String stream, long recordedAtUs, List<TaskRequest> tasks, int window,
                    ResultListener listener,
                    Supplier<FrameEncoder> encoders, @Nullable FileFrames files, SegmentMerge.@Nullable PictureSink pictures,
                    AnalyzeStats stats, PrintStream err, boolean progressLines, boolean redraw) throws Exception {
        List<Segment> plan = files != null ? plan(files.index()) : plan(path);
        SegmentMerge merge = new SegmentMerge(plan, stream, stitch, recordedAtUs, listener, Segment::warmUpFrames, pictures);
        SegmentProgress progress = new SegmentProgress(err, plan, progressLines, redraw);
        SegmentPump pump = new SegmentPump(path, stats, progress);
        List<Job> jobs = new ArrayList<>();
        for (Segment s : plan) {
            // the warm-up's events are the previous segment's to record (BoundaryStitch, rule 1)
            StreamSpec segmentSpec = StreamSpec.builder(stream + SEGMENT_SUFFIX + s.index()).tasks(tasks).window(window)
                    .recordFrom(s.start()).recordedAt(recordedAtUs).build();
            jobs.add(() -> pump.pump(client, s, segmentSpec, merge.listener(s), encoders.get(), files));
        }
        runAll(jobs);
        if (!merge.complete()) {
            throw new IllegalStateException("the segments' results stop at frame " + merge.emitted() + " of "
                    + plan.get(plan.size() - 1).end());
        }
    }

    /**
     * The frames' times of files to compose in parallel, read from their packets and checked, so that
     * what cannot be cut is refused before anything starts ({@link CompositePlan#checkSize},
     * {@link FrameTimes#checkEvenlySpaced}).
     *
     * @param rates each file's nominal frame rate
     */
    public static List<long[]> compositeTimes(List<String> paths, List<Double> rates) throws java.io.IOException {
        if (paths.size() > CompositePlan.MAX_SOURCES) {
            CompositePlan.checkSize(java.util.Collections.nCopies(paths.size(), new long[0]));
        }
        List<long[]> times = new ArrayList<>();
        for (int i = 0; i < paths.size(); i++) {
            long[] t = FrameTimes.read(paths.get(i));
            FrameTimes.checkEvenlySpaced(paths.get(i), t, rates.get(i));
            times.add(t);
        }
        CompositePlan.checkSize(times);
        return times;
    }

    /** One segment's run. */
    private interface Job {
        void run() throws Exception;
    }

    /** Runs the segments, at most {@code parallel} at once, in file order; the first failure is thrown. */
    private void runAll(List<Job> jobs) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(parallel, jobs.size())), r -> {
            Thread t = new Thread(r, "argus-segment");
            t.setDaemon(true);
            return t;
        });
        List<Future<?>> running = new ArrayList<>();
        try {
            for (Job j : jobs) {
                running.add(pool.submit(() -> {
                    j.run();
                    return null;
                }));
            }
            for (Future<?> f : running) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof Exception c ? c : e;
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Several recorded files composed into one picture ({@code mosaic}, {@code stitch}), cut by
     * {@link CompositePlan}; {@code listener} gets the serial run's frames of stream {@code stream},
     * in its order, each once.
     *
     * @param times    each file's frames' times ({@link #compositeTimes}, read and checked before the cluster starts)
     * @param offsetUs each file's clock from the earliest's, as the serial run aligns them
     * @param names    each file's tile or camera name
     * @param pictures takes the pictures tasks return as they arrive; null: nobody wants them
     */
    public void runComposite(ArgusClient client, List<String> paths, List<long[]> times, long[] offsetUs, String stream,
                             List<TaskRequest> tasks, List<String> names, int window, ResultListener listener,
                             Supplier<FrameEncoder> encoders, SegmentMerge.@Nullable PictureSink pictures, AnalyzeStats stats,
                             PrintStream err, boolean progressLines, boolean redraw) throws Exception {
        CompositePlan plan = CompositePlan.plan(times, offsetUs, segments, parallel);
        List<List<TaskRequest>> perSource = CompositeTasks.perSource(tasks, names, plan.joinOrder());
        ToLongFunction<Segment> warmUp = s -> plan.cuts().get(s.index()).warmUpFrames();
        List<Segment> segs = plan.segments();
        SegmentMerge merge = new SegmentMerge(segs, stream, stitch, 0, listener, warmUp, pictures);
        SegmentProgress progress = new SegmentProgress(err, segs, s -> warmUp.applyAsLong(s) + s.end() - s.start(),
                progressLines, redraw);
        CompositeSegmentPump pump = new CompositeSegmentPump(paths, times, plan, perSource, stats, progress);
        List<Job> jobs = new ArrayList<>();
        for (CompositePlan.Cut c : plan.cuts()) {
            Segment s = c.segment();
            StreamSpec spec = StreamSpec.builder(stream + SEGMENT_SUFFIX + s.index()).tasks(perSource.get(0)).window(window)
                    .recordFrom(s.start()).build();
            jobs.add(() -> pump.pump(client, c, spec, merge.listener(s), encoders.get()));
        }
        runAll(jobs);
        if (!merge.complete()) {
            throw new IllegalStateException("the segments' results stop at frame " + merge.emitted() + " of " + plan.frames());
        }
    }
}
