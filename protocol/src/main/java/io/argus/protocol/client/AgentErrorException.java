package io.argus.protocol.client;

import io.argus.protocol.v1.Code;

/** The agent answered with a typed {@code Error}. */
public class AgentErrorException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final Code code;

    public AgentErrorException(Code code, String message) {
        super(code + ": " + message, null, false, false);
        this.code = code;
    }

    public Code code() {
        return code;
    }
}
