package io.argus.coordinator.config;

/** A configuration was refused; the message names the offending value. */
public class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int status;

    public ConfigException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    /** HTTP status to answer with. */
    public int status() {
        return status;
    }

    /** The error code of the JSON answer, matching the status (a refused input is never reported as a failure of ours). */
    public String code() {
        return switch (status) {
            case 400 -> "BAD_REQUEST";
            case 409 -> "CONFLICT";
            case 413 -> "TOO_LARGE";
            case 503 -> "UNAVAILABLE";
            default -> status >= 500 ? "INTERNAL" : "BAD_REQUEST";
        };
    }
}
