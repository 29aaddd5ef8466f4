package io.argus.protocol.codec;

import org.jspecify.annotations.Nullable;

/**
 * Emitted by {@link EnvelopeDecoder} when a correctly framed message is not a valid {@code Envelope}.
 * Framing is intact, so the connection can go on; the handler answers {@code BAD_REQUEST}.
 *
 * @param length the frame length in bytes
 * @param reason the parser's explanation
 */
public record MalformedEnvelope(int length, @Nullable String reason) {
}
