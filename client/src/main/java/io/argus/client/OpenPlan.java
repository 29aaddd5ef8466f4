package io.argus.client;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.argus.protocol.v1.StateBundle;
import org.jspecify.annotations.Nullable;

/**
 * Where a stream with state opens on a connection, and with what state (protocol/README.md,
 * {@code StreamControl.OPEN}):
 * <ul>
 *   <li>with a checkpoint of this run: its state, from the frame after its last sequence. When
 *       the client no longer holds some frames between the two (its replay buffer was bounded),
 *       it continues from the lowest frame it holds, and that is a gap;</li>
 *   <li>without one (none stored, another run's, or unreadable): from the lowest frame held; the
 *       agent keeps what it holds of the stream if it can continue there.</li>
 * </ul>
 *
 * @param importState the checkpoint to import, or null
 * @param from        the first sequence the agent is to apply
 * @param gap         frames after the checkpoint are gone: the state skips them
 * @param note        why the checkpoint was not used, or empty
 */
record OpenPlan(@Nullable ByteString importState, long from, boolean gap, String note) {

    /**
     * @param checkpoint the stored or handed-over state, or null
     * @param run        this session's run of the stream
     * @param lowestHeld the lowest sequence the client still holds (or the next to submit)
     */
    static OpenPlan of(byte @Nullable [] checkpoint, long run, long lowestHeld) {
        if (checkpoint == null) {
            return new OpenPlan(null, lowestHeld, false, "");
        }
        StateBundle bundle;
        try {
            bundle = StateBundle.parseFrom(checkpoint);
        } catch (InvalidProtocolBufferException e) {
            return new OpenPlan(null, lowestHeld, false, "the checkpoint does not parse");
        }
        if (bundle.getRun() != run) {
            // an earlier session of this stream name: not ours to continue
            return new OpenPlan(null, lowestHeld, false, "the checkpoint is of another run");
        }
        if (!bundle.getHasLastSequence()) {
            return new OpenPlan(bundle.toByteString(), lowestHeld, false, "");
        }
        long want = bundle.getLastSequence() + 1;
        return new OpenPlan(bundle.toByteString(), Math.max(lowestHeld, want), want < lowestHeld, "");
    }
}
