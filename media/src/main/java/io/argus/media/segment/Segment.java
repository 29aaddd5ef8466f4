package io.argus.media.segment;

/**
 * One piece of a file in a parallel run, in frame numbers: it owns {@code [start, end)}, is
 * processed from {@code warmUpStart} (results before {@code start} are discarded) and is decoded
 * from {@code seekFrame}, the keyframe at or before the warm-up (frames before the warm-up are
 * decoded only, never sent).
 */
public record Segment(int index, long seekFrame, long warmUpStart, long start, long end) {
    public Segment {
        if (!(0 <= seekFrame && seekFrame <= warmUpStart && warmUpStart <= start && start < end)) {
            throw new IllegalArgumentException("segment " + index + " out of order: seek " + seekFrame + ", warm-up "
                    + warmUpStart + ", start " + start + ", end " + end);
        }
    }

    public boolean owns(long frame) {
        return frame >= start && frame < end;
    }

    /** Frames sent to the cluster: the warm-up and the owned frames. */
    public long framesSent() {
        return end - warmUpStart;
    }

    public long warmUpFrames() {
        return start - warmUpStart;
    }
}
