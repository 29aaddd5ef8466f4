package io.argus.protocol.codec;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnsafeByteOperations;
import io.argus.protocol.v1.Envelope;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;

import java.util.List;

/**
 * Parses one frame (from {@link LengthPrefixDecoder}) into an {@link Envelope}.
 *
 * <p>By default the parsed message owns copies of its bytes, so the frame buffer is released as
 * soon as this handler returns. Built with {@code aliasFrames}, a {@code FrameRequest} that arrived
 * in a heap buffer is instead parsed with protobuf's aliasing, so that its image stays in that
 * buffer, and it is passed on as an {@link AliasedFrame} holding a reference to it: agents copy
 * images from the socket's buffer straight into OpenCV's memory, with no {@code byte[]} per frame
 * in between. (Only heap buffers: protobuf-java 4 copies any direct buffer into an array before
 * parsing, so aliasing one would save nothing; {@link LengthPrefixDecoder} therefore assembles
 * large frames in heap buffers, while sockets read into direct ones.)
 * Every other message is still copied: only frames are worth it, and only their consumer knows
 * when it is done with them.
 *
 * <p>A frame that does not parse, or parses to an Envelope with no body, becomes a
 * {@link MalformedEnvelope}: the framing is intact, so the peer gets a typed error and the
 * connection goes on. Recursion depth is limited by protobuf's default (100).
 */
public final class EnvelopeDecoder extends MessageToMessageDecoder<ByteBuf> {
    private final boolean aliasFrames;

    public EnvelopeDecoder() {
        this(false);
    }

    /** @param aliasFrames pass frames on as {@link AliasedFrame}s (see the class comment) */
    public EnvelopeDecoder(boolean aliasFrames) {
        super(ByteBuf.class);
        this.aliasFrames = aliasFrames;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf frame, List<Object> out) {
        int length = frame.readableBytes();
        try {
            if (aliasFrames && frame.hasArray()) {
                Envelope aliased = parseAliased(frame);
                if (aliased.getBodyCase() == Envelope.BodyCase.FRAME_REQUEST) {
                    // MessageToMessageDecoder releases the frame when we return: keep it for the request
                    out.add(new AliasedFrame(aliased.getFrameRequest(), frame.retain()));
                    return;
                }
                // anything else must not point into a buffer that is about to be released
            }
            Envelope envelope = parse(frame);
            if (envelope.getBodyCase() == Envelope.BodyCase.BODY_NOT_SET) {
                out.add(new MalformedEnvelope(length, "envelope has no known body"));
            } else {
                out.add(envelope);
            }
        } catch (InvalidProtocolBufferException e) {
            out.add(new MalformedEnvelope(length, e.getMessage()));
        }
    }

    static Envelope parse(ByteBuf frame) throws InvalidProtocolBufferException {
        if (frame.hasArray()) {
            return Envelope.parser().parseFrom(
                    frame.array(), frame.arrayOffset() + frame.readerIndex(), frame.readableBytes());
        }
        if (frame.nioBufferCount() == 1) {
            return Envelope.parseFrom(frame.nioBuffer());
        }
        return Envelope.parseFrom(ByteBufUtil.getBytes(frame));
    }

    /** Parses with {@code bytes} fields as views of {@code frame}'s array (valid while it is retained). */
    static Envelope parseAliased(ByteBuf frame) throws InvalidProtocolBufferException {
        // a ByteString over the array yields an input that protobuf treats as immutable, the
        // condition for aliasing; the buffer is ours until released, so that holds
        CodedInputStream in = UnsafeByteOperations.unsafeWrap(frame.array(), frame.arrayOffset() + frame.readerIndex(),
                frame.readableBytes()).newCodedInput();
        in.enableAliasing(true);
        Envelope e = Envelope.parser().parseFrom(in);
        in.checkLastTagWas(0);
        return e;
    }
}
