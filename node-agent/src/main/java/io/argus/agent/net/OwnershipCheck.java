package io.argus.agent.net;

import org.jspecify.annotations.Nullable;

/**
 * Whether this agent may apply a stateful stream's frames now. Asked on the stream's lane, just
 * before a frame would be applied, so that an agent that has learned (or can no longer confirm)
 * that a stream is another agent's never changes its state: the frame is refused
 * {@code NOT_OWNER} and the client resends it, in order, where the assignment says.
 */
@FunctionalInterface
public interface OwnershipCheck {
    /** An agent outside a cluster owns every stream it is sent. */
    OwnershipCheck ANYONE = (stream, frameEpoch) -> null;

    /**
     * Why this agent may not apply the stream's frame now, if it may not.
     *
     * @param frameEpoch the assignment epoch the client routed the frame by (0 when it knew none)
     * @return null when the frame may be applied; otherwise why not, for the refusal
     */
    @Nullable String refusal(String stream, long frameEpoch);
}
