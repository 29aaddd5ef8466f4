package io.argus.cli.analyze.segment;

import io.argus.client.ResultListener;
import io.argus.client.StreamResult;
import io.argus.media.segment.Segment;
import io.argus.protocol.v1.FrameResult;
import org.jspecify.annotations.Nullable;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToLongFunction;

/**
 * Puts the results of a file's segments, which arrive concurrently and each segment in its own
 * frame order, back into one stream in frame order, each frame once ({@link BoundaryStitch} says
 * how). A frame is emitted when every frame before it has been; a segment's first frame waits for
 * its whole warm-up too, since its tracks are joined from it.
 *
 * <p>Results that cannot be emitted yet are held: at most the frames of the segments ahead of the
 * one being emitted, which is why results are held without the decoded picture (the context each
 * segment's results carry is the frame's media time, a {@code Long}) and without the pictures tasks
 * return ({@link PictureSink}).
 */
public final class SegmentMerge {
    private final List<Segment> plan;
    private final BoundaryStitch stitch;
    private final ResultListener downstream;
    private final Map<Long, StreamResult> owned = new HashMap<>();
    private final List<Map<Long, StreamResult>> warmUps = new ArrayList<>();
    private final boolean[] joined;
    private final ToLongFunction<Segment> warmUpFrames;
    private final String stream;
    private final @Nullable PictureSink pictures;
    private int current; // the segment that owns the next frame
    private long next;

    public SegmentMerge(List<Segment> plan, String stream, StitchConfig cfg, ResultListener downstream) {
        this(plan, stream, cfg, 0, downstream);
    }

    /** @param recordedAtUs the recording's start its events are dated from (epoch microseconds; 0: none) */
    public SegmentMerge(List<Segment> plan, String stream, StitchConfig cfg, long recordedAtUs, ResultListener downstream) {
        this(plan, stream, cfg, recordedAtUs, downstream, Segment::warmUpFrames, null);
    }

    /**
     * Takes the pictures of an owned result when it arrives, under the run's stream name: a result
     * is held without its pictures (a wall or an annotated frame is 100-300 KB, and the segments
     * ahead of the one being emitted may hold thousands), so whoever keeps them (
     * {@code --save-images}) gets them here, in the order they come, not in frame order.
     */
    @FunctionalInterface
    public interface PictureSink {
        void take(String stream, StreamResult r);
    }

    /**
     * @param warmUpFrames how many warm-up results each segment sends: every frame from its warm-up's
     *                     start for one file; for a composite, only the frames each source sends
     *                     ({@link CompositePlan})
     * @param pictures     who takes the owned results' pictures as they arrive; null: nobody wants them
     */
    public SegmentMerge(List<Segment> plan, String stream, StitchConfig cfg, long recordedAtUs, ResultListener downstream,
                        ToLongFunction<Segment> warmUpFrames, @Nullable PictureSink pictures) {
        this.warmUpFrames = warmUpFrames;
        this.stream = stream;
        this.pictures = pictures;
        this.plan = List.copyOf(plan);
        this.stitch = new BoundaryStitch(stream, cfg, recordedAtUs);
        this.downstream = downstream;
        this.joined = new boolean[plan.size()];
        for (int i = 0; i < plan.size(); i++) {
            warmUps.add(new TreeMap<>());
        }
        joined[0] = true;
    }

    /** The listener of segment {@code s}'s stream. */
    public ResultListener listener(Segment s) {
        return r -> accept(s, r);
    }

    synchronized void accept(Segment s, StreamResult r) {
        if (s.owns(r.sourceIndex())) {
            if (pictures != null) {
                pictures.take(stream, r);
            }
            owned.put(r.sourceIndex(), withoutPictures(r));
        } else if (r.sourceIndex() >= s.warmUpStart() && r.sourceIndex() < s.start()) {
            warmUps.get(s.index()).put(r.sourceIndex(), withoutPictures(r));
        } else {
            throw new IllegalStateException("segment " + s.index() + " sent frame " + r.sourceIndex());
        }
        emitReady();
    }

    /** Frames emitted so far. */
    public synchronized long emitted() {
        return next;
    }

    /** Whether every frame of the file was emitted. */
    public synchronized boolean complete() {
        return current >= plan.size();
    }

    private void emitReady() {
        while (current < plan.size()) {
            Segment s = plan.get(current);
            if (!joined[current]) {
                Map<Long, StreamResult> warm = warmUps.get(current);
                if (warm.size() < warmUpFrames.applyAsLong(s)) {
                    return;
                }
                stitch.join(s, warm);
                warmUps.set(current, Map.of());
                joined[current] = true;
            }
            StreamResult r = owned.remove(next);
            if (r == null) {
                return;
            }
            downstream.onResult(stitch.emit(s, r, mediaTimeUs(r)));
            next++;
            if (next == s.end()) {
                current++;
            }
            // no later join looks before the warm-up of the next segment to join
            int toJoin = current < plan.size() && !joined[current] ? current : current + 1;
            stitch.forgetBefore(toJoin < plan.size() ? plan.get(toJoin).warmUpStart() : next);
        }
    }

    private static StreamResult withoutPictures(StreamResult r) {
        FrameResult f = r.result();
        if (f == null || f.getTasksList().stream().allMatch(t -> t.getImagesCount() == 0)) {
            return r;
        }
        FrameResult.Builder b = f.toBuilder();
        for (int i = 0; i < b.getTasksCount(); i++) {
            b.setTasks(i, b.getTasks(i).toBuilder().clearImages());
        }
        return new StreamResult(r.streamId(), r.sourceIndex(), b.build(), r.error(), r.errorMessage(), r.agentId(), r.captureUs(),
                r.latencyUs(), r.attempts(), r.context());
    }

    /**
     * The media time the agent processed the frame with: the one sent with it (the result's context),
     * or, for a frame the agent read from the file itself, the one it echoes; 0 when unknown.
     */
    static long mediaTimeUs(StreamResult r) {
        if (r.context() instanceof Long us) {
            return us;
        }
        return r.result() != null ? r.result().getMediaTimeUs() : 0;
    }
}
