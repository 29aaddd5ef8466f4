package io.argus.coordinator.http;

/** An HTTP error with a status, a stable code and a message: rendered as {"error": {"code", "message"}}. */
public class ApiException extends RuntimeException {
    private final int status;
    private final String code;

    public ApiException(int status, String code, String message) {
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
