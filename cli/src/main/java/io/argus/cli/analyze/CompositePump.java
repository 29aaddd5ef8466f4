package io.argus.cli.analyze;

import io.argus.client.ArgusClient;
import io.argus.client.FrameEncoder;
import io.argus.client.ResultListener;
import io.argus.client.StreamSession;
import io.argus.client.StreamSpec;
import io.argus.media.FrameSource;
import io.argus.media.VideoFrame;
import io.argus.protocol.Envelopes;
import io.argus.protocol.v1.TaskRequest;
import io.argus.task.api.TaskNames;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Feeds several sources to one composite stream ({@code analyze --source A --source B --tasks
 * mosaic}, or {@code stitch} with two sources): the sources' frames in the order of their times
 * ({@link TimeAlignedSources}: a 25 fps camera sends 2.5 frames for each of a 10 fps one), on a single
 * stream named {@link #STREAM}, and every frame carries its source's name as the compositing task's
 * per-frame parameter ({@code mosaic}'s {@code tile}, {@code stitch}'s {@code camera}), so the agent
 * composes them all into one wall or panorama. Frame numbers on that stream count the frames sent
 * (the source's own index is not unique across sources); each source keeps its own clock for the
 * media time, so a source that ends early shows as a stale tile. At most {@code maxFrames} frames
 * per source (0: each whole source); the stream ends when every source has. With {@code fps}, each
 * source's frames go at that rate.
 *
 * <p>Live sources are submitted like recordings here (they wait for the window rather than being
 * thinned): a wall of live cameras is better served by managed streams.
 */
public final class CompositePump {
    /** The composite stream's name in the output. */
    public static final String STREAM = "wall";

    /** The per-frame parameter of each compositing task that names the frame's source. */
    public static final Map<String, String> PER_FRAME = Map.of(TaskNames.MOSAIC, "tile", TaskNames.STITCH, "camera");

    private final double fps;
    private final long maxFrames;
    private final AnalyzeStats stats;

    public CompositePump(double fps, long maxFrames, AnalyzeStats stats) {
        this.fps = fps;
        this.maxFrames = maxFrames;
        this.stats = stats;
    }

    /** True when the tasks compose several sources into one picture. */
    public static boolean composes(List<TaskRequest> tasks) {
        return tasks.stream().anyMatch(t -> PER_FRAME.containsKey(t.getName()));
    }

    /**
     * The tasks of one source's frames: the compositing tasks get the source's name. A parameter
     * the run sets itself for them is refused: each source has its own.
     */
    public static List<TaskRequest> tasksFor(List<TaskRequest> tasks, String source) {
        List<TaskRequest> out = new ArrayList<>();
        for (TaskRequest t : tasks) {
            String key = PER_FRAME.get(t.getName());
            if (key == null) {
                out.add(t);
                continue;
            }
            if (t.containsParams(key)) {
                throw new IllegalArgumentException("--param " + t.getName() + "." + key + ": with several sources each "
                        + "source's " + key + " is its stream name (" + source + ", ...); leave it out");
            }
            out.add(t.toBuilder().putParams(key, source).build());
        }
        return out;
    }

    /**
     * Sends the sources' frames to the composite stream, in the order of their times, and waits for the last results.
     *
     * @param paths what each source was opened from: a file's path, whose container may say when it was
     *              recorded ({@link TimeAlignedSources})
     */
    public void pump(ArgusClient client, List<FrameSource> sources, List<String> paths, List<String> names,
                     List<TaskRequest> tasks, int window, ResultListener listener, FrameEncoder encoder) throws Exception {
        if (tasks.stream().anyMatch(t -> t.getName().equals(TaskNames.STITCH)) && sources.size() != 2) {
            throw new IllegalArgumentException("stitch composes exactly two sources (got " + sources.size() + ")");
        }
        List<List<TaskRequest>> perSource = new ArrayList<>();
        for (String n : names) {
            perSource.add(tasksFor(tasks, n));
        }
        StreamSpec spec = StreamSpec.builder(STREAM).tasks(perSource.get(0)).window(window).build();
        TimeAlignedSources aligned = new TimeAlignedSources(sources, paths, maxFrames);
        try (StreamSession session = client.open(spec, listener)) {
            long start = System.nanoTime();
            long n = 0;
            TimeAlignedSources.Next next;
            while ((next = aligned.next()) != null) {
                if (fps > 0) {
                    // fps frames a second of each source
                    long wait = start + (long) (n * 1e9 / (fps * sources.size())) - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                }
                VideoFrame f = next.frame();
                session.submit(n++, Envelopes.nowMicros(), f.timestampUs() + 1, encoder.encode(f), perSource.get(next.source()), f);
            }
            if (!session.drain(Duration.ofMinutes(5))) {
                System.err.println("analyze: stream " + STREAM + " did not finish within 5 minutes");
            }
            stats.session(STREAM, session.failovers(), session.replayedSends(), session.replayGaps(),
                    session.replayPeakFrames(), session.replayPeakBytes());
        }
    }
}
