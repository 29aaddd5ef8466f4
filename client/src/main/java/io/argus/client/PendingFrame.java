package io.argus.client;

import io.argus.protocol.client.AgentConnection;
import io.argus.protocol.v1.FrameRequest;
import io.netty.buffer.ByteBuf;
import org.jspecify.annotations.Nullable;

/**
 * One submitted frame as its session tracks it: unanswered, then delivered and (for a sequenced
 * stream) kept for replay until a checkpoint covers it. Confined to the client's control thread.
 */
final class PendingFrame {
    final long seq;
    final FrameRequest request;
    /**
     * The request already framed for the wire, serialized once by the submitting thread (not the
     * control thread every stream shares); each send writes a view of it. Released when the frame
     * is delivered, or, for a sequenced stream, when no replay can need it any more.
     */
    @Nullable ByteBuf wire;
    final long captureUs;
    final long firstNanos;
    final @Nullable Object context;
    int attempts;
    /** Delivered already; kept for replay (its next answer is discarded). */
    boolean delivered;
    /** Encoded size, while kept for replay. */
    long bytes;
    /** Its last send was lost with its connection (agent died, switched away), or it must go again (replay). */
    boolean orphaned;
    long sentNanos;
    @Nullable AgentConnection sentOn;
    String agent = "";

    PendingFrame(long seq, FrameRequest request, long captureUs, @Nullable Object context, long nowNanos) {
        this.seq = seq;
        this.request = request;
        this.captureUs = captureUs;
        this.context = context;
        this.firstNanos = nowNanos;
    }

    /** Frees the wire bytes (idempotent). */
    void release() {
        if (wire != null) {
            wire.release();
            wire = null;
        }
    }
}
