package io.argus.protocol.client;

import io.argus.protocol.v1.Code;

import java.util.OptionalLong;

/**
 * The agent refused a stateful stream's frame with {@code OUT_OF_ORDER}: it was not the next frame
 * the agent would apply, and nothing of it was applied. {@link #expected()} is the sequence the
 * agent waits for; empty when the agent does not hold the stream open (it must be opened with
 * {@code StreamControl.OPEN} first).
 */
public final class OutOfOrderException extends AgentErrorException {
    private static final long serialVersionUID = 1L;

    private final long expected;
    private final boolean hasExpected;

    public OutOfOrderException(String message, long expected, boolean hasExpected) {
        super(Code.OUT_OF_ORDER, message);
        this.expected = expected;
        this.hasExpected = hasExpected;
    }

    public OptionalLong expected() {
        return hasExpected ? OptionalLong.of(expected) : OptionalLong.empty();
    }
}
