package io.argus.coordinator.config;

/** A configuration was refused; the message names the offending value. */
public class ConfigException extends Exception {
    private final int status;

    public ConfigException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    /** HTTP status to answer with. */
    public int status() {
        return status;
    }
}
