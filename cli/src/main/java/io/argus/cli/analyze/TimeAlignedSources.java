package io.argus.cli.analyze;

import io.argus.media.FrameSource;
import io.argus.media.RecordingStart;
import io.argus.media.VideoFrame;
import org.jspecify.annotations.Nullable;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Several sources read as one, in the order of their frames' times: what a composite of them
 * ({@code mosaic}, {@code stitch}) must see, so that each tile or camera shows the moment the
 * others show. Taking turns, one frame each, aligns only sources of equal frame rates: a 25 fps and
 * a 10 fps camera would drift apart by 1.5 s every second.
 *
 * <p>A frame's time is its media time (its time in its own file, or for a live source when it was
 * read), plus its recording's start when every source is a file whose container says when it was
 * recorded (the {@code creation_time} tag): cameras recording the same scene from different moments
 * are then aligned on the wall clock. Without that tag on every file, each file counts from its own
 * start (clips exported for the same period); a start guessed from the file system (modified time
 * minus duration) is not trusted for this, a copy having moved it. Ties go to the earlier source.
 * With a live source among them the sources take turns, one frame each, as they come.
 *
 * <p>At most {@code maxFrames} frames per source (0: every frame). One frame per source is read
 * ahead.
 */
public final class TimeAlignedSources {
    /** The next frame of the sources together, and which source it is from. */
    record Next(int source, VideoFrame frame) {
    }

    private final List<FrameSource> sources;
    private final long maxFrames;
    private final long[] offsetUs;
    private final @Nullable VideoFrame[] heads;
    private final long[] read;
    private final boolean[] done;
    /** Some source is live: the sources take turns. */
    private final boolean turns;
    private int turn;

    TimeAlignedSources(List<FrameSource> sources, List<String> paths, long maxFrames) {
        this.sources = sources;
        this.maxFrames = maxFrames;
        this.offsetUs = offsets(sources, paths);
        this.heads = new VideoFrame[sources.size()];
        this.read = new long[sources.size()];
        this.done = new boolean[sources.size()];
        this.turns = sources.stream().anyMatch(FrameSource::live);
    }

    /** Each source's recording start from the earliest one, when every source has a tagged start; else zeros. */
    public static long[] offsets(List<FrameSource> sources, List<String> paths) {
        long[] starts = new long[sources.size()];
        for (int i = 0; i < sources.size(); i++) {
            Optional<RecordingStart> s = i < paths.size() ? RecordingStart.of(sources.get(i), paths.get(i)) : Optional.empty();
            if (s.isEmpty() || !s.get().origin().equals(RecordingStart.TAG)) {
                return new long[sources.size()];
            }
            starts[i] = s.get().epochMicros();
        }
        long first = java.util.Arrays.stream(starts).min().orElse(0);
        for (int i = 0; i < starts.length; i++) {
            starts[i] -= first;
        }
        return starts;
    }

    /** How far each source's clock is from the earliest's, in microseconds (for the tests). */
    long offsetUs(int source) {
        return offsetUs[source];
    }

    /** The earliest frame not yet returned, or null when every source has ended. */
    @Nullable Next next() throws IOException {
        int best = -1;
        for (int k = 0; k < sources.size(); k++) {
            // with a live source the sources take turns: a live frame's time is when it was read, a
            // file's its place in the file, and the two clocks cannot be compared
            int i = turns ? (turn + k) % sources.size() : k;
            VideoFrame h = head(i);
            if (h != null && (best < 0 || (!turns && time(i, h) < time(best, heads[best])))) {
                best = i;
            }
        }
        turn = best + 1;
        if (best < 0) {
            return null;
        }
        VideoFrame f = heads[best];
        heads[best] = null;
        return new Next(best, f);
    }

    private long time(int source, @Nullable VideoFrame f) {
        return f == null ? Long.MAX_VALUE : offsetUs[source] + f.timestampUs();
    }

    private @Nullable VideoFrame head(int i) throws IOException {
        if (heads[i] == null && !done[i]) {
            VideoFrame f = maxFrames > 0 && read[i] >= maxFrames ? null : sources.get(i).next();
            if (f == null) {
                done[i] = true;
            } else {
                read[i]++;
                heads[i] = f;
            }
        }
        return heads[i];
    }
}
