package io.argus.agent.task;

import io.argus.protocol.v1.Code;
import io.argus.task.api.TaskException;

/**
 * A frame refused for a passing reason before anything of it was applied (the agent's state
 * memory is full, JavaCPP refused native memory): unlike other {@link TaskException}s it does not
 * count as applied, so a sequenced stream still waits for it, and the client may resend it here
 * later or take the stream elsewhere.
 */
public final class FrameRefused extends TaskException {
    private static final long serialVersionUID = 1L;

    public FrameRefused(Code code, String message) {
        super(code, message);
    }
}
