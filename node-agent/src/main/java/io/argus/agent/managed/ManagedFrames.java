package io.argus.agent.managed;

import com.google.protobuf.UnsafeByteOperations;
import io.argus.media.VideoFrame;
import io.argus.protocol.Envelopes;
import io.argus.cluster.StreamConfig;
import io.argus.cluster.StreamDefinition;
import io.argus.protocol.v1.Encoding;
import io.argus.protocol.v1.FrameRequest;
import io.argus.protocol.v1.Image;
import io.argus.protocol.v1.TaskRequest;

/**
 * The request a managed stream's frame becomes. For a recording (a file or folder) it is a pure
 * function of the stream definition, the configuration and the frame: the sequence is the
 * frame's position in the source (frames read since the stream began, across loops), and the
 * capture time is the stream's registration time plus the frame's presentation time. No wall
 * clock, so every agent that runs or replays the stream, and a reference run in one process,
 * builds the same request and reaches the same state and the same event ids.
 *
 * <p>A recording registered with its start ({@link StreamDefinition#recordedAtUs()}) has its events
 * dated on the recording's clock, that start plus the frame's presentation time; the capture time
 * stays as above, since the sequence and the checkpoints do not depend on the dating.
 *
 * <p>A segment of a replayed recording ({@link StreamDefinition#replay()}) numbers its frames from
 * its warm-up's first frame (sequence 0), gives each its position in the file as source index, and
 * marks the warm-up's frames, whose events the previous segment records.
 *
 * <p>A live source's frames are stamped with the wall clock when read: that is when they were
 * captured, and they cannot be read again anyway.
 */
public final class ManagedFrames {
    private ManagedFrames() {
    }

    /** The capture time of a recording's frame: registration time plus presentation time. */
    public static long captureUs(StreamDefinition def, VideoFrame f) {
        return def.createdAtMs() * 1000 + f.timestampUs();
    }

    /**
     * The request for one frame of a managed stream, with its tasks and configuration.
     *
     * @param sequence the frame's position (recordings) or its number among the frames taken
     *                 (live sources: frames dropped before it are in {@code gapFrames})
     * @param live     the source is live (wall-clock capture time)
     */
    public static FrameRequest request(StreamDefinition def, StreamConfig defaults, StreamConfig config, long configVersion,
                                       VideoFrame f, long sequence, boolean live, int gapFrames, long gapUs) {
        StreamDefinition.ReplaySegment seg = def.replay();
        // a replay segment's sequence counts from its warm-up's first frame
        long position = live ? f.index() : seg == null ? sequence : seg.warmUpStart() + sequence;
        FrameRequest.Builder req = FrameRequest.newBuilder().setStreamId(def.id()).setSequence(sequence)
                .setSourceIndex(position).setWarmUp(seg != null && position < seg.start())
                .setCaptureTimeUs(live ? Envelopes.nowMicros() : captureUs(def, f))
                .setMediaTimeUs(live ? 0 : f.timestampUs() + 1)
                .setLive(live).setGapFrames(gapFrames).setGapUs(gapUs)
                .setRecordedAtUs(live ? 0 : def.recordedAtUs())
                .setConfigVersion(configVersion)
                .setImage(Image.newBuilder().setEncoding(Encoding.RAW_BGR).setWidth(f.width()).setHeight(f.height())
                        .setData(UnsafeByteOperations.unsafeWrap(f.bgr())));
        for (StreamDefinition.TaskSpec t : def.tasks()) {
            req.addTasks(TaskRequest.newBuilder().setName(t.name())
                    .putAllParams(StreamConfig.merge(defaults, config, t.name(), t.params())));
        }
        return req.build();
    }
}
