package io.argus.protocol;

/** Numbers that both ends of an argus.v1 connection agree on. */
public final class ProtocolConstants {
    /** Protocol version carried in {@code Hello} and {@code Welcome}. */
    public static final int VERSION = 1;

    /** Default hard limit on one Envelope, in bytes (16 MiB). */
    public static final int DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024;

    /** Default pixel limit for one image (width x height), about 40 megapixels. */
    public static final long DEFAULT_MAX_PIXELS = 40_000_000L;

    /** Default limit on either image dimension. */
    public static final int DEFAULT_MAX_DIMENSION = 16_384;

    /** Default heartbeat interval the agent announces in {@code Welcome}. */
    public static final int DEFAULT_HEARTBEAT_INTERVAL_MS = 500;

    private ProtocolConstants() {
    }
}
