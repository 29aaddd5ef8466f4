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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Feeds several sources to one composite stream ({@code analyze --source A --source B --tasks
 * mosaic}, or {@code stitch} with two sources): the sources take turns, one frame each, on a single
 * stream named {@link #STREAM}, and every frame carries its source's name as the compositing task's
 * per-frame parameter ({@code mosaic}'s {@code tile}, {@code stitch}'s {@code camera}), so the agent
 * composes them all into one wall or panorama. Frame numbers on that stream count the frames sent
 * (the source's own index is not unique across sources); each source keeps its own clock for the
 * media time, so a source that ends early shows as a stale tile. At most {@code maxFrames} frames
 * per source (0: each whole source); the stream ends when every source has.
 *
 * <p>Live sources are submitted like recordings here (they wait for the window rather than being
 * thinned): a wall of live cameras is better served by managed streams.
 */
public final class CompositePump {
    /** The composite stream's name in the output. */
    public static final String STREAM = "wall";

    private static final Map<String, String> PER_FRAME = Map.of(TaskNames.MOSAIC, "tile", TaskNames.STITCH, "camera");

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
    static List<TaskRequest> tasksFor(List<TaskRequest> tasks, String source) {
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

    public void pump(ArgusClient client, List<FrameSource> sources, List<String> names, List<TaskRequest> tasks,
                     int window, ResultListener listener, FrameEncoder encoder) throws Exception {
        if (tasks.stream().anyMatch(t -> t.getName().equals(TaskNames.STITCH)) && sources.size() != 2) {
            throw new IllegalArgumentException("stitch composes exactly two sources (got " + sources.size() + ")");
        }
        List<List<TaskRequest>> perSource = new ArrayList<>();
        for (String n : names) {
            perSource.add(tasksFor(tasks, n));
        }
        StreamSpec spec = StreamSpec.builder(STREAM).tasks(perSource.get(0)).window(window).build();
        try (StreamSession session = client.open(spec, listener)) {
            long start = System.nanoTime();
            long[] sent = new long[sources.size()];
            Set<Integer> done = new HashSet<>();
            long n = 0;
            for (long round = 0; done.size() < sources.size(); round++) {
                if (fps > 0) {
                    long wait = start + (long) (round * 1e9 / fps) - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                }
                for (int i = 0; i < sources.size(); i++) {
                    if (done.contains(i)) {
                        continue;
                    }
                    VideoFrame f = maxFrames > 0 && sent[i] >= maxFrames ? null : sources.get(i).next();
                    if (f == null) {
                        done.add(i);
                        continue;
                    }
                    sent[i]++;
                    session.submit(n++, Envelopes.nowMicros(), f.timestampUs() + 1, encoder.encode(f), perSource.get(i), f);
                }
            }
            if (!session.drain(Duration.ofMinutes(5))) {
                System.err.println("analyze: stream " + STREAM + " did not finish within 5 minutes");
            }
            stats.session(STREAM, session.failovers(), session.replayedSends(), session.replayGaps(),
                    session.replayPeakFrames(), session.replayPeakBytes());
        }
    }
}
