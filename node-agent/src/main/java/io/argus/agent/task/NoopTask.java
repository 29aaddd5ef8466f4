package io.argus.agent.task;

import io.argus.protocol.v1.Code;
import io.argus.protocol.v1.TaskResult;
import io.argus.task.api.TaskNames;

/** Does nothing with the frame: measures the transport and decoding alone. */
public final class NoopTask implements VisionTask {
    public static final String NAME = TaskNames.NOOP;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public TaskResult run(TaskContext ctx) {
        return TaskResult.newBuilder().setTask(NAME).setStatus(Code.OK)
                .putNumbers("noop.width", ctx.frame().cols())
                .putNumbers("noop.height", ctx.frame().rows()).build();
    }
}
