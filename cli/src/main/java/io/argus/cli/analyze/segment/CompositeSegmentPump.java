package io.argus.cli.analyze.segment;

import io.argus.cli.analyze.AnalyzeStats;
import io.argus.client.ArgusClient;
import io.argus.client.FrameEncoder;
import io.argus.client.ResultListener;
import io.argus.client.StreamSession;
import io.argus.client.StreamSpec;
import io.argus.media.FfmpegSource;
import io.argus.media.VideoFrame;
import io.argus.media.segment.Segment;
import io.argus.protocol.Envelopes;
import io.argus.protocol.v1.TaskRequest;
import org.jspecify.annotations.Nullable;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Feeds one segment of a composite run ({@link CompositePlan}) to a stream of its own: seeks each
 * file to the first frame the segment sends of it (FFmpeg decodes from the keyframe before it),
 * then sends the serial run's frames from the segment's warm-up to its end, in the serial run's
 * order and with its frame numbers, each with its own source's tasks (the tile or camera name).
 * A decoded frame whose time is not the one the plan read from the file's packets (a file whose
 * frames are not evenly spaced, where seeking by frame number is inexact) stops the run: it would
 * no longer be the serial run's frame.
 */
final class CompositeSegmentPump {
    private final List<String> paths;
    private final List<long[]> times;
    private final CompositePlan plan;
    private final List<List<TaskRequest>> perSource;
    private final AnalyzeStats stats;
    private final SegmentProgress progress;

    CompositeSegmentPump(List<String> paths, List<long[]> times, CompositePlan plan, List<List<TaskRequest>> perSource,
                         AnalyzeStats stats, SegmentProgress progress) {
        this.paths = paths;
        this.times = times;
        this.plan = plan;
        this.perSource = perSource;
        this.stats = stats;
        this.progress = progress;
    }

    void pump(ArgusClient client, CompositePlan.Cut cut, StreamSpec spec, ResultListener merge, FrameEncoder encoder) throws Exception {
        Segment s = cut.segment();
        ResultListener counted = r -> {
            progress.step(s);
            merge.onResult(r);
        };
        // a file is opened when the segment first needs it: a segment opens only the files it sends
        List<@Nullable FfmpegSource> files = new ArrayList<>(Collections.nCopies(paths.size(), null));
        try (StreamSession session = client.open(spec, counted)) {
            progress.started(s, spec.streamId());
            for (long p = s.warmUpStart(); p < s.end(); p++) {
                int i = plan.source(p);
                int f = plan.frame(p);
                if (f < cut.firstFrame(i)) {
                    continue; // before what this segment sends of that source
                }
                FfmpegSource src = files.get(i);
                if (src == null) {
                    src = FfmpegSource.file(paths.get(i), false);
                    files.set(i, src);
                    if (f > 0) {
                        src.seekTo(f);
                    }
                }
                VideoFrame frame = src.next();
                long expected = times.get(i)[f];
                if (frame == null || frame.timestampUs() != expected) {
                    throw new IllegalStateException(paths.get(i) + ": frame " + f + " decoded at "
                            + (frame == null ? "the end of the file" : frame.timestampUs() + " us") + " where its packets say "
                            + expected + " us; --parallel composes files whose frames are evenly spaced (run without --parallel)");
                }
                long mediaUs = frame.timestampUs() + 1; // as CompositePump sends it
                // the context is the media time only: results are held until merged, pictures must not be
                session.submit(p, Envelopes.nowMicros(), mediaUs, encoder.encode(frame), perSource.get(i), mediaUs);
            }
            if (!session.drain(SegmentPump.DRAIN)) {
                throw new IllegalStateException("segment " + s.index() + " (" + spec.streamId() + ") did not finish within " + SegmentPump.DRAIN);
            }
            stats.session(spec.streamId(), session.failovers(), session.replayedSends(), session.replayGaps(),
                    session.replayPeakFrames(), session.replayPeakBytes());
            progress.finished(s, session.failovers());
        } finally {
            for (FfmpegSource f : files) {
                if (f != null) {
                    f.close();
                }
            }
        }
    }
}
