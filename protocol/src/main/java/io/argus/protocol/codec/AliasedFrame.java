package io.argus.protocol.codec;

import io.argus.protocol.v1.FrameRequest;
import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCounted;

/**
 * A {@link FrameRequest} whose {@code bytes} fields (the image above all) are views of the
 * (heap) network buffer it arrived in, not copies: what {@link EnvelopeDecoder} passes on for
 * frames when it was built to alias them. The image then goes from the socket's buffer into
 * OpenCV's memory in one copy, without a {@code byte[]} per frame in between.
 *
 * <p>Ownership: this object holds one reference to that buffer, and its reference count is the
 * buffer's. Whoever keeps the request beyond the handler that received it must {@link #retain()}
 * it and {@link #release()} it once the image has been decoded; after the last release the
 * request's byte fields point at memory that Netty may reuse, so they must not be read. Its
 * scalar and string fields are copies and stay valid. Netty's leak detector tracks the buffer,
 * so a forgotten release is reported like any leaked {@code ByteBuf}.
 */
public final class AliasedFrame implements ReferenceCounted {
    private final FrameRequest request;
    private final ByteBuf buffer;

    AliasedFrame(FrameRequest request, ByteBuf buffer) {
        this.request = request;
        this.buffer = buffer;
    }

    public FrameRequest request() {
        return request;
    }

    @Override
    public int refCnt() {
        return buffer.refCnt();
    }

    @Override
    public AliasedFrame retain() {
        buffer.retain();
        return this;
    }

    @Override
    public AliasedFrame retain(int increment) {
        buffer.retain(increment);
        return this;
    }

    @Override
    public AliasedFrame touch() {
        buffer.touch();
        return this;
    }

    @Override
    public AliasedFrame touch(Object hint) {
        buffer.touch(hint);
        return this;
    }

    @Override
    public boolean release() {
        return buffer.release();
    }

    @Override
    public boolean release(int decrement) {
        return buffer.release(decrement);
    }

    @Override
    public String toString() {
        return "AliasedFrame[" + request.getStreamId() + "#" + request.getSequence() + ", "
                + request.getImage().getData().size() + " image bytes]";
    }
}
