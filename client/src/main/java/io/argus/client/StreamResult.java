package io.argus.client;

import io.argus.protocol.v1.Code;
import io.argus.protocol.v1.FrameResult;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of one frame, delivered exactly once and in frame order per stream.
 *
 * @param streamId     the stream
 * @param sourceIndex  frame index in the source (0-based)
 * @param result       the agent's result, or null when the frame failed as a whole
 * @param error        why the frame failed ({@code OK} when it did not)
 * @param errorMessage the failure's explanation, empty when none
 * @param agentId      the agent that answered (or last tried)
 * @param captureUs    capture time (epoch microseconds)
 * @param latencyUs    capture to delivery
 * @param attempts     how many times the frame was sent (more than 1 after a failover)
 * @param context      what the caller attached when submitting (e.g. the decoded frame for overlays)
 */
public record StreamResult(String streamId, long sourceIndex, @Nullable FrameResult result, Code error, @Nullable String errorMessage,
                           String agentId, long captureUs, long latencyUs, int attempts, @Nullable Object context) {

    public boolean ok() {
        return error == Code.OK && result != null;
    }

    /** The agent's result of a frame that is {@link #ok()}. */
    public FrameResult okResult() {
        return Objects.requireNonNull(result, "the frame failed");
    }

    /** True if the frame or any of its tasks failed. */
    public boolean failed() {
        return !ok() || okResult().getTasksList().stream().anyMatch(t -> t.getStatus() != Code.OK);
    }
}
