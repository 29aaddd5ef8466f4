package io.argus.agent.net;

import org.jspecify.annotations.Nullable;
import io.argus.agent.state.Sequencer;
import io.argus.agent.state.StreamState;
import io.argus.protocol.Envelopes;
import io.argus.protocol.v1.Code;
import io.argus.protocol.v1.Envelope;
import io.argus.protocol.v1.FrameRequest;

import java.util.Optional;

/**
 * What a frame's answer says beyond its result: the checkpoint the client may forget frames up to,
 * the replay flag of a duplicate's kept answer, and the expected sequence of a frame out of order.
 * No transport here; {@link FrameJob} serializes and writes the answers.
 */
final class FrameAnswers {
    private FrameAnswers() {
    }

    /** Marks a sequenced frame applied, keeping its answer for resends. */
    static Envelope applied(AgentRuntime rt, FrameRequest req, @Nullable Sequencer order, Envelope answer) {
        Envelope out = withCheckpoint(rt, req, answer);
        if (order != null) {
            order.applied(req.getSequence(), out);
        }
        return out;
    }

    /**
     * Tells the client which frames it may forget: those the checkpoint of the stream's run that
     * the coordinators hold covers.
     */
    static Envelope withCheckpoint(AgentRuntime rt, FrameRequest req, Envelope e) {
        if (!e.hasFrameResult()) {
            return e;
        }
        Optional<StreamState> st = rt.states().find(req.getStreamId());
        long confirmed = st.isEmpty() ? -1 : rt.recorder().confirmedCheckpoint(req.getStreamId(), st.get().run());
        if (confirmed < 0) {
            return e;
        }
        return e.toBuilder().setFrameResult(e.getFrameResult().toBuilder()
                .setCheckpointSequence(confirmed).setHasCheckpointSequence(true)).build();
    }

    static Envelope replayed(AgentRuntime rt, FrameRequest req, Envelope stored) {
        rt.metrics().replayedAnswer();
        return stored.hasFrameResult()
                ? withCheckpoint(rt, req, stored.toBuilder().setFrameResult(stored.getFrameResult().toBuilder().setReplayed(true)).build())
                : stored;
    }

    static Envelope outOfOrder(FrameRequest req, Sequencer order) {
        String why = !order.isOpen()
                ? "stream " + req.getStreamId() + " is not open on this agent: send StreamControl.OPEN (with its checkpoint) first"
                : req.getSequence() > order.next()
                ? "frame " + req.getSequence() + " is ahead: the next frame to apply is " + order.next()
                : "frame " + req.getSequence() + " was applied already and its answer is no longer kept (next is "
                + order.next() + ")";
        Envelope e = Envelopes.frameError(req, Code.OUT_OF_ORDER, why);
        io.argus.protocol.v1.Error.Builder err = e.getError().toBuilder();
        if (order.isOpen()) {
            err.setExpectedSequence(order.next()).setHasExpectedSequence(true);
        }
        return Envelope.newBuilder().setError(err).build();
    }
}
