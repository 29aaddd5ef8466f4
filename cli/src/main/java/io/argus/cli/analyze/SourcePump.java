package io.argus.cli.analyze;

import io.argus.client.ArgusClient;
import io.argus.client.FrameEncoder;
import io.argus.client.ResultListener;
import io.argus.client.StreamSession;
import io.argus.client.StreamSpec;
import io.argus.media.FrameSource;
import io.argus.media.VideoFrame;
import io.argus.protocol.Envelopes;

import java.time.Duration;

/**
 * Feeds one source of an analyze run to its stream: at {@code fps} frames/s (0: as fast as the
 * window allows), for at most {@code maxFrames} frames (0: the whole source); live sources are
 * offered (dropped when there is no room), recorded footage is submitted with its own clock. Then
 * waits for the last results and adds the session's figures to the stats.
 */
public final class SourcePump {
    private final double fps;
    private final long maxFrames;
    private final AnalyzeStats stats;

    public SourcePump(double fps, long maxFrames, AnalyzeStats stats) {
        this.fps = fps;
        this.maxFrames = maxFrames;
        this.stats = stats;
    }

    public void pump(ArgusClient client, FrameSource src, StreamSpec spec, ResultListener listener,
                     FrameEncoder encoder) throws Exception {
        try (StreamSession session = client.open(spec, listener)) {
            long start = System.nanoTime();
            long n = 0;
            VideoFrame f;
            while ((maxFrames <= 0 || n < maxFrames) && (f = src.next()) != null) {
                pace(start, n);
                long captured = Envelopes.nowMicros();
                if (src.live()) {
                    // a live source is never queued behind the cluster: a frame that cannot go now is
                    // dropped before it is numbered, and the next frame sent carries the gap
                    VideoFrame frame = f;
                    session.offer(f.index(), captured, 0, () -> encoder.encode(frame), f);
                } else {
                    // recorded footage carries its own clock: results do not depend on how fast it is read
                    session.submit(f.index(), captured, f.timestampUs() + 1, encoder.encode(f), f);
                }
                n++;
            }
            finish(spec, session);
        }
    }

    /**
     * As {@link #pump}, for a recording the agents read themselves ({@code --encoding file}): only
     * the frame numbers are sent, and each result carries the frame's media time.
     */
    public void pumpFile(ArgusClient client, FileFrames files, StreamSpec spec, ResultListener listener) throws Exception {
        try (StreamSession session = client.open(spec, listener)) {
            long start = System.nanoTime();
            long frames = maxFrames > 0 ? Math.min(maxFrames, files.frames()) : files.frames();
            var image = files.image();
            for (long n = 0; n < frames; n++) {
                pace(start, n);
                session.submit(n, Envelopes.nowMicros(), 0, image, null);
            }
            finish(spec, session);
        }
    }

    private void pace(long start, long n) throws InterruptedException {
        if (fps > 0) {
            long due = start + (long) (n * 1e9 / fps);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
        }
    }

    private void finish(StreamSpec spec, StreamSession session) throws InterruptedException {
        if (!session.drain(Duration.ofMinutes(5))) {
            System.err.println("analyze: stream " + spec.streamId() + " did not finish within 5 minutes");
        }
        stats.session(spec.streamId(), session.failovers(), session.replayedSends(), session.replayGaps(),
                session.replayPeakFrames(), session.replayPeakBytes());
    }
}
