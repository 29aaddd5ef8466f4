package io.argus.protocol.codec;

import com.google.protobuf.MessageLite;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelPipeline;

/**
 * Installs the argus.v1 framing on a pipeline: inbound {@link LengthPrefixDecoder} then
 * {@link EnvelopeDecoder}; outbound {@link EnvelopeEncoder} (length prefix and message in one
 * direct buffer).
 *
 * <p>After these handlers, inbound messages are {@code Envelope}, {@link OversizedFrame} or
 * {@link MalformedEnvelope}; outbound, write {@code Envelope}s, or {@link ByteBuf}s that
 * {@link #encode} made on the thread that produced the message (large frames and results: the
 * event loop then only writes).
 */
public final class FrameCodec {
    public static final String FRAME_DECODER = "frameDecoder";
    public static final String ENVELOPE_DECODER = "envelopeDecoder";
    public static final String FRAME_ENCODER = "frameEncoder";

    private FrameCodec() {
    }

    public static void install(ChannelPipeline pipeline, int maxFrameBytes) {
        install(pipeline, maxFrameBytes, false);
    }

    /**
     * As above; with {@code aliasFrames}, inbound frames arrive as {@link AliasedFrame}s whose
     * image is a view of the network buffer (the agent's side, which decodes images).
     */
    public static void install(ChannelPipeline pipeline, int maxFrameBytes, boolean aliasFrames) {
        pipeline.addLast(FRAME_DECODER, new LengthPrefixDecoder(maxFrameBytes));
        pipeline.addLast(ENVELOPE_DECODER, new EnvelopeDecoder(aliasFrames));
        pipeline.addLast(FRAME_ENCODER, EnvelopeEncoder.INSTANCE);
    }

    /**
     * One message as a complete frame (prefix included) in a new direct buffer that the caller
     * owns until it writes it: serialization then happens on the calling thread, not on the
     * event loop that the write is handed to.
     */
    public static ByteBuf encode(ByteBufAllocator alloc, MessageLite message) {
        return EnvelopeEncoder.encode(alloc, message);
    }
}
