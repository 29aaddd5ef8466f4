package io.argus.cluster.api;

/** A coordinator answered with an error status: its HTTP status, and the JSON error's code and message. */
public final class CoordinatorApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;

    public CoordinatorApiException(int status, String code, String message) {
        super(status + " " + code + ": " + message);
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
