package io.argus.coordinator.http;

import org.jspecify.annotations.Nullable;

/** An HTTP error with a status, a stable code and a message: rendered as {"error": {"code", "message"}}. */
public class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;

    public ApiException(int status, String code, @Nullable String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }
}
