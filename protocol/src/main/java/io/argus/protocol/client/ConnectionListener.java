package io.argus.protocol.client;

import io.argus.protocol.v1.EventAck;
import io.argus.protocol.v1.FrameResult;
import io.argus.protocol.v1.Preview;
import io.argus.protocol.v1.StateBundle;
import org.jspecify.annotations.Nullable;

/**
 * Callbacks from an {@link AgentConnection}. They run on the connection's Netty event loop and
 * must not block: hand work to another executor.
 */
public interface ConnectionListener {
    ConnectionListener NONE = new ConnectionListener() {
    };

    /** The agent granted more credit; the client may send more frames. */
    default void onCredit(AgentConnection connection) {
    }

    /** A preview of a subscribed stream (viewers). */
    default void onPreview(AgentConnection connection, Preview preview) {
    }

    /** A result pushed for a subscribed stream that this connection did not send (viewers). */
    default void onPushedResult(AgentConnection connection, FrameResult result) {
    }

    /** The agent sent a stream's exported state (answer to a RELEASE). */
    default void onState(AgentConnection connection, StateBundle state) {
    }

    /** A coordinator acknowledged an event batch (agents publishing events). */
    default void onEventAck(AgentConnection connection, long batchId) {
    }

    /**
     * A coordinator acknowledged an event batch, saying which checkpoint it holds for each stream
     * whose checkpoint the batch carried ({@code EventAck.checkpoints}). By default, {@link
     * #onEventAck(AgentConnection, long)} with the batch id.
     */
    default void onEventAck(AgentConnection connection, EventAck ack) {
        onEventAck(connection, ack.getBatchId());
    }

    /**
     * The agent refused a message that is not a frame (a StreamControl or Subscribe: e.g.
     * PERMISSION_DENIED, or OVERLOADED past the subscription limit); the connection stays open.
     */
    default void onError(AgentConnection connection, AgentErrorException error) {
    }

    /** The agent announced it is going away; move streams elsewhere before it closes. */
    default void onGoodbye(AgentConnection connection, String reason) {
    }

    /** The connection is closed; pending frames have already been failed. */
    default void onClosed(AgentConnection connection, @Nullable Throwable cause) {
    }
}
