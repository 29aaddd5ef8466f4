package io.argus.protocol.codec;

/**
 * Emitted by {@link LengthPrefixDecoder} instead of a frame whose declared length is over the limit.
 * The decoder has already discarded (or is discarding) the frame's bytes without buffering them, so
 * the connection stays in sync and the handler can answer with a typed {@code TOO_LARGE} error.
 *
 * @param declaredLength the length the sender declared, in bytes
 * @param limit          the limit it exceeded
 */
public record OversizedFrame(long declaredLength, int limit) {
}
