package io.argus.protocol.codec;

import com.google.protobuf.InvalidProtocolBufferException;
import io.argus.protocol.v1.Envelope;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;

import java.util.List;

/**
 * Parses one frame (from {@link LengthPrefixDecoder}) into an {@link Envelope}.
 *
 * <p>The parsed message owns copies of its bytes, so the frame buffer is released as soon as this
 * handler returns. A frame that does not parse, or parses to an Envelope with no body, becomes a
 * {@link MalformedEnvelope}: the framing is intact, so the peer gets a typed error and the
 * connection goes on. Recursion depth is limited by protobuf's default (100).
 */
public final class EnvelopeDecoder extends MessageToMessageDecoder<ByteBuf> {

    public EnvelopeDecoder() {
        super(ByteBuf.class);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf frame, List<Object> out) {
        int length = frame.readableBytes();
        try {
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
}
