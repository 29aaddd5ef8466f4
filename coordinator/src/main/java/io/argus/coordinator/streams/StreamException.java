package io.argus.coordinator.streams;

import org.jspecify.annotations.Nullable;

/**
 * A stream operation was refused or could not be done. {@link #kind} says whose fault it is (the
 * HTTP API turns it into a status in one place); {@link #code} is the stable error code.
 */
public final class StreamException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why the operation failed. */
    public enum Kind {
        /** The request was wrong (bad id, no source, bad task parameter, refused source). */
        INVALID,
        /** No such stream. */
        NOT_FOUND,
        /** ZooKeeper could not be read or written; the caller may retry. */
        UNAVAILABLE
    }

    private final Kind kind;
    private final String code;

    public StreamException(Kind kind, String code, @Nullable String message) {
        super(message, null, false, false);
        this.kind = kind;
        this.code = code;
    }

    public Kind kind() {
        return kind;
    }

    public String code() {
        return code;
    }
}
