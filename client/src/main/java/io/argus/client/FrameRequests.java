package io.argus.client;

import io.argus.cluster.ClusterView;
import io.argus.cluster.StreamConfig;
import org.jspecify.annotations.Nullable;
import io.argus.protocol.v1.FrameRequest;
import io.argus.protocol.v1.Image;

/**
 * The {@link FrameRequest} of a frame a {@link StreamSession} submits: the stream's tasks with the
 * central configuration applied (unless the frame brings its own), the configuration version, the
 * stream's current ownership epoch, and for a live frame the gap before it. Built on the
 * submitting thread.
 */
final class FrameRequests {
    private final ArgusClient client;
    private final StreamSpec spec;

    FrameRequests(ArgusClient client, StreamSpec spec) {
        this.client = client;
        this.spec = spec;
    }

    /**
     * @param tasks this frame's own task list, or null for the stream's
     * @param gap   for a live frame, the frames dropped at the source before it; null for a recorded one
     */
    FrameRequest request(long seq, long sourceIndex, long captureUs, long mediaTimeUs, Image image,
                         java.util.@Nullable List<io.argus.protocol.v1.TaskRequest> tasks, LiveThinning.@Nullable Gap gap) {
        FrameRequest.Builder rb = FrameRequest.newBuilder().setLive(gap != null);
        if (gap != null) {
            rb.setGapFrames(gap.frames()).setGapUs(gap.us());
        }
        // each read once: the version must be that of the parameters the frame carries
        ClusterView.Versioned<StreamConfig> defaults = client.view().defaults();
        ClusterView.Versioned<StreamConfig> config = client.view().config(spec.streamId());
        return rb.setStreamId(spec.streamId()).setSequence(seq)
                .setSourceIndex(sourceIndex).setCaptureTimeUs(captureUs).setMediaTimeUs(mediaTimeUs).setImage(image)
                .addAllTasks(tasks != null ? tasks : tasksNow(defaults.value(), config.value()))
                .setConfigVersion(spec.configVersion() != 0 ? spec.configVersion() : ClusterView.configVersion(config, defaults))
                .setEpoch(client.view().currentEpoch(spec.streamId()))
                .setWarmUp(sourceIndex < spec.recordFrom())
                .setRecordedAtUs(spec.recordedAtUs())
                .build();
    }

    /**
     * Task requests with the central configuration applied, key by key: the cluster defaults, then this
     * client's own parameters, then the stream's central configuration, the operator's latest word
     * ({@link io.argus.cluster.StreamConfig#merge}).
     */
    private java.util.List<io.argus.protocol.v1.TaskRequest> tasksNow(StreamConfig defaults, StreamConfig config) {
        if (defaults.tasks().isEmpty() && config.tasks().isEmpty()) {
            return spec.tasks();
        }
        java.util.List<io.argus.protocol.v1.TaskRequest> out = new java.util.ArrayList<>();
        for (var t : spec.tasks()) {
            out.add(t.toBuilder().clearParams().putAllParams(StreamConfig.merge(defaults, config,
                    t.getName(), t.getParamsMap())).build());
        }
        return out;
    }
}
