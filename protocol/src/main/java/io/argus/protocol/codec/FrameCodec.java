package io.argus.protocol.codec;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.protobuf.ProtobufEncoder;
import io.netty.handler.codec.protobuf.ProtobufVarint32LengthFieldPrepender;

/**
 * Installs the argus.v1 framing on a pipeline: inbound {@link LengthPrefixDecoder} then
 * {@link EnvelopeDecoder}; outbound a varint32 length prefix then the protobuf encoding.
 *
 * <p>After these handlers, inbound messages are {@code Envelope}, {@link OversizedFrame} or
 * {@link MalformedEnvelope}; outbound, write {@code Envelope}s.
 */
public final class FrameCodec {
    public static final String FRAME_DECODER = "frameDecoder";
    public static final String ENVELOPE_DECODER = "envelopeDecoder";
    public static final String FRAME_ENCODER = "frameEncoder";
    public static final String ENVELOPE_ENCODER = "envelopeEncoder";

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
        pipeline.addLast(FRAME_ENCODER, new ProtobufVarint32LengthFieldPrepender());
        pipeline.addLast(ENVELOPE_ENCODER, new ProtobufEncoder());
    }
}
