package io.argus.task.api;

import io.argus.protocol.v1.Code;

/** A typed failure of a task or of frame preparation; becomes a status or an Error on the wire. */
public class TaskException extends Exception {
    private static final long serialVersionUID = 1L;

    private final Code code;

    public TaskException(Code code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public Code code() {
        return code;
    }
}
