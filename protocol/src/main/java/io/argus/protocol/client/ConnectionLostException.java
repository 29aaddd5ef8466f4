package io.argus.protocol.client;

import org.jspecify.annotations.Nullable;

/** The connection closed (or was declared dead by heartbeat) before the frame was answered. */
public class ConnectionLostException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConnectionLostException(@Nullable String message) {
        super(message, null, false, false);
    }
}
