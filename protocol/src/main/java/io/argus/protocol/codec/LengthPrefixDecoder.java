package io.argus.protocol.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.CorruptedFrameException;

import java.util.List;

/**
 * Splits the inbound byte stream into frames.
 *
 * <p>Wire format, identical to protobuf's {@code writeDelimitedTo}:
 * <pre>
 * +----------------------+---------------------------+
 * | length: varint32     | payload: length bytes     |
 * | (1 to 5 bytes, LEB128)| (one serialized Envelope) |
 * +----------------------+---------------------------+
 * </pre>
 *
 * <p>Unlike Netty's {@code ProtobufVarint32FrameDecoder}, this decoder enforces a hard maximum
 * before anything is buffered: a frame that declares more than {@code maxFrameBytes} is skipped as
 * its bytes arrive (never accumulated), and an {@link OversizedFrame} is passed on in its place.
 * A length prefix longer than five bytes, or one that is negative as an int32, cannot be
 * resynchronised and raises {@link CorruptedFrameException}; the connection must then be closed.
 */
public final class LengthPrefixDecoder extends ByteToMessageDecoder {
    private final int maxFrameBytes;
    private long bytesToDiscard;

    public LengthPrefixDecoder(int maxFrameBytes) {
        if (maxFrameBytes <= 0) {
            throw new IllegalArgumentException("maxFrameBytes must be positive: " + maxFrameBytes);
        }
        this.maxFrameBytes = maxFrameBytes;
    }

    public int maxFrameBytes() {
        return maxFrameBytes;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (bytesToDiscard > 0) {
            int skip = (int) Math.min(bytesToDiscard, in.readableBytes());
            in.skipBytes(skip);
            bytesToDiscard -= skip;
            return;
        }
        int start = in.readerIndex();
        long length = readVarint32(in);
        if (length < 0) {
            in.readerIndex(start);
            return;
        }
        if (length > maxFrameBytes) {
            int skip = (int) Math.min(length, in.readableBytes());
            in.skipBytes(skip);
            bytesToDiscard = length - skip;
            out.add(new OversizedFrame(length, maxFrameBytes));
            return;
        }
        if (in.readableBytes() < length) {
            in.readerIndex(start);
            return;
        }
        out.add(in.readRetainedSlice((int) length));
    }

    /**
     * Reads an unsigned varint32. Returns -1 when more bytes are needed.
     *
     * @throws CorruptedFrameException when the prefix is longer than five bytes or exceeds int32
     */
    static long readVarint32(ByteBuf in) {
        long result = 0;
        for (int i = 0; i < 5; i++) {
            if (!in.isReadable()) {
                return -1;
            }
            byte b = in.readByte();
            result |= (long) (b & 0x7f) << (7 * i);
            if ((b & 0x80) == 0) {
                if (result > Integer.MAX_VALUE) {
                    throw new CorruptedFrameException("length prefix exceeds int32: " + result);
                }
                return result;
            }
        }
        throw new CorruptedFrameException("length prefix longer than 5 bytes");
    }
}
