package io.argus.coordinator.store;

import org.jspecify.annotations.Nullable;

/**
 * The store cannot take writes now (the disk is full, or the database closed itself and is open
 * read-only until it can be reopened). Nothing was acknowledged: an agent keeps the batch and sends
 * it again, and the HTTP API answers 503 {@code STORE_UNAVAILABLE}. Reads go on where they can.
 */
public final class StoreUnavailableException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public StoreUnavailableException(@Nullable String message) {
        super(message);
    }

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
