package io.argus.protocol.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.CorruptedFrameException;
import org.jspecify.annotations.Nullable;

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
 *
 * <p>Large frames (from {@link #ASSEMBLE_FROM_BYTES}) that span many socket reads are assembled in
 * one recycled heap buffer of their declared size ({@link FrameBuffers}), each read's bytes copied
 * into it once, instead of being accumulated in a buffer that doubles as it grows and copies
 * everything again each time. That buffer is only taken once an eighth of the frame has arrived,
 * so a peer cannot make the decoder reserve more than eight times what it has actually sent (and
 * never more than {@code maxFrameBytes}). Heap, because protobuf parses an array in place and
 * {@link EnvelopeDecoder} can then alias the image instead of copying it; a large frame that arrives
 * whole in a (direct) socket buffer is copied into one of those buffers too, since protobuf would
 * otherwise copy it into a new array, and its image into another (100 KB of garbage per JPEG
 * frame). Smaller frames are passed on as slices of the read buffer.
 */
public final class LengthPrefixDecoder extends ByteToMessageDecoder {
    /** Frames at least this long that arrive over several reads are assembled in a buffer of their size. */
    static final int ASSEMBLE_FROM_BYTES = 32 * 1024;
    private final int maxFrameBytes;
    private long bytesToDiscard;
    private final FrameBuffers frameBuffers;
    /** The large frame being assembled, or null. */
    private @Nullable ByteBuf assembling;
    /** Bytes of it still to come. */
    private int assemblingLeft;

    public LengthPrefixDecoder(int maxFrameBytes) {
        if (maxFrameBytes <= 0) {
            throw new IllegalArgumentException("maxFrameBytes must be positive: " + maxFrameBytes);
        }
        this.maxFrameBytes = maxFrameBytes;
        this.frameBuffers = FrameBuffers.SHARED;
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
        if (assembling != null) {
            int n = Math.min(assemblingLeft, in.readableBytes());
            assembling.writeBytes(in, n);
            assemblingLeft -= n;
            if (assemblingLeft == 0) {
                ByteBuf frame = assembling;
                assembling = null;
                out.add(frame);
            }
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
            if (length >= ASSEMBLE_FROM_BYTES && in.readableBytes() >= length / 8) {
                assembling = frameBuffers.frame((int) length);
                assemblingLeft = (int) length - in.readableBytes();
                assembling.writeBytes(in);
                return;
            }
            in.readerIndex(start);
            return;
        }
        if (length >= ASSEMBLE_FROM_BYTES && !in.hasArray()) {
            ByteBuf frame = frameBuffers.frame((int) length);
            frame.writeBytes(in, (int) length);
            out.add(frame);
            return;
        }
        out.add(in.readRetainedSlice((int) length));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        try {
            super.channelInactive(ctx);
        } finally {
            dropAssembling(); // a truncated frame: nothing will complete it
        }
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        dropAssembling();
    }

    private void dropAssembling() {
        if (assembling != null) {
            assembling.release();
            assembling = null;
        }
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
