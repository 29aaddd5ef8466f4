package io.argus.protocol.client;

/** The connection closed (or was declared dead by heartbeat) before the frame was answered. */
public class ConnectionLostException extends RuntimeException {
    public ConnectionLostException(String message) {
        super(message, null, false, false);
    }
}
