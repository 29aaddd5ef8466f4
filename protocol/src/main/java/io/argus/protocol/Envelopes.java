package io.argus.protocol;

import io.argus.protocol.v1.Code;
import io.argus.protocol.v1.Credit;
import io.argus.protocol.v1.Envelope;
import io.argus.protocol.v1.Error;
import io.argus.protocol.v1.FrameRequest;
import io.argus.protocol.v1.Goodbye;
import io.argus.protocol.v1.Ping;
import io.argus.protocol.v1.Pong;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** Small factories for the envelopes both ends send often. */
public final class Envelopes {
    private Envelopes() {
    }

    public static Envelope error(Code code, @Nullable String message, boolean fatal) {
        return Envelope.newBuilder().setError(Error.newBuilder()
                .setCode(code).setMessage(Objects.requireNonNullElse(message, "")).setFatal(fatal)).build();
    }

    /** An error that answers one frame; it returns that frame's credit. */
    public static Envelope frameError(FrameRequest request, Code code, @Nullable String message) {
        return frameError(request.getStreamId(), request.getSequence(), code, message);
    }

    public static Envelope frameError(String streamId, long sequence, Code code, @Nullable String message) {
        return Envelope.newBuilder().setError(Error.newBuilder()
                .setCode(code).setMessage(Objects.requireNonNullElse(message, ""))
                .setStreamId(streamId).setSequence(sequence).setHasSequence(true)).build();
    }

    public static Envelope credit(int frames) {
        return Envelope.newBuilder().setCredit(Credit.newBuilder().setFrames(frames)).build();
    }

    public static Envelope ping(long nonce) {
        return Envelope.newBuilder().setPing(Ping.newBuilder()
                .setNonce(nonce).setSentTimeUs(nowMicros())).build();
    }

    public static Envelope pong(Ping ping) {
        return Envelope.newBuilder().setPong(Pong.newBuilder()
                .setNonce(ping.getNonce()).setPingSentTimeUs(ping.getSentTimeUs())).build();
    }

    public static Envelope goodbye(String reason) {
        return Envelope.newBuilder().setGoodbye(Goodbye.newBuilder().setReason(reason)).build();
    }

    public static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }
}
