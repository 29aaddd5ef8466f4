package io.argus.cli.analyze.segment;

import io.argus.cli.analyze.AnalyzeStats;
import io.argus.cli.analyze.FileFrames;
import io.argus.client.ArgusClient;
import io.argus.client.FrameEncoder;
import io.argus.client.ResultListener;
import io.argus.client.StreamSession;
import io.argus.client.StreamSpec;
import io.argus.media.FfmpegSource;
import io.argus.media.VideoFrame;
import io.argus.media.segment.Segment;
import io.argus.protocol.Envelopes;
import io.argus.protocol.v1.Image;
import org.jspecify.annotations.Nullable;

import java.time.Duration;

/**
 * Feeds one segment of a file to a stream of its own: opens the file, seeks to the segment's
 * warm-up (FFmpeg decodes from the keyframe before it, nothing earlier), submits the warm-up and
 * the owned frames with their own numbers and media times, and waits for the last result. A
 * stateful segment stream is sequenced like any other, so an agent lost mid-segment costs a
 * failover and a replay from the checkpoint, never a frame twice.
 */
final class SegmentPump {
    /** How long the last results of a segment may take once every frame is sent. */
    static final Duration DRAIN = Duration.ofMinutes(5);

    private final String path;
    private final AnalyzeStats stats;
    private final SegmentProgress progress;

    SegmentPump(String path, AnalyzeStats stats, SegmentProgress progress) {
        this.path = path;
        this.stats = stats;
        this.progress = progress;
    }

    /**
     * @param encoder how frames go on the wire, when this process decodes them
     * @param files   instead: the agents read the frames themselves, and the results carry their media times
     */
    void pump(ArgusClient client, Segment s, StreamSpec spec, ResultListener merge, FrameEncoder encoder,
              @Nullable FileFrames files) throws Exception {
        ResultListener counted = r -> {
            progress.step(s);
            merge.onResult(r);
        };
        try (StreamSession session = client.open(spec, counted)) {
            progress.started(s, spec.streamId());
            if (files != null) {
                Image image = files.image();
                for (long i = s.warmUpStart(); i < Math.min(s.end(), files.frames()); i++) {
                    session.submit(i, Envelopes.nowMicros(), 0, image, null);
                }
            } else {
                decodeAndSend(s, session, encoder);
            }
            if (!session.drain(DRAIN)) {
                throw new IllegalStateException("segment " + s.index() + " (" + spec.streamId() + ") did not finish within " + DRAIN);
            }
            stats.session(spec.streamId(), session.failovers(), session.replayedSends(), session.replayGaps(),
                    session.replayPeakFrames(), session.replayPeakBytes());
            progress.finished(s, session.failovers());
        }
    }

    private void decodeAndSend(Segment s, StreamSession session, FrameEncoder encoder) throws Exception {
        try (FfmpegSource src = FfmpegSource.file(path, false)) {
            src.seekTo(s.warmUpStart());
            VideoFrame f;
            while ((f = src.next()) != null && f.index() < s.end()) {
                long mediaUs = f.timestampUs() + 1; // as SourcePump sends it: 0 would mean "no media time"
                // the context is the media time only: results are held until merged, pictures must not be
                session.submit(f.index(), Envelopes.nowMicros(), mediaUs, encoder.encode(f), mediaUs);
            }
        }
    }
}
