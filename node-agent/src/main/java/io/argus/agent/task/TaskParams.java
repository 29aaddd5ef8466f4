package io.argus.agent.task;

import io.argus.agent.task.composite.AnnotateTask;
import io.argus.agent.task.composite.MosaicTask;
import io.argus.agent.task.composite.StitchTask;
import io.argus.agent.task.people.PeopleConfig;
import io.argus.agent.task.text.TextTask;
import io.argus.protocol.v1.Code;

import java.util.List;
import java.util.Map;

/**
 * Parameter validation of every built-in task, without loading any native library: the
 * coordinator checks central configuration with exactly the rules the agents apply, and the
 * agents' own {@code validate} methods call the same code.
 */
public final class TaskParams {
    public static final List<String> KNOWN = List.of("noop", "color", "faces", "people", "text", "mosaic", "stitch",
            "annotate");

    private TaskParams() {
    }

    public static void validate(String task, Map<String, String> p) throws TaskException {
        switch (task) {
            case "noop" -> {
            }
            case "color" -> {
                Params.intParam(p, "k", 5, 1, 16);
                Params.intParam(p, "sample", 64, 16, 512);
            }
            case "faces" -> {
                Params.doubleParam(p, "scaleFactor", 1.1, 1.01, 2);
                Params.intParam(p, "minNeighbors", 5, 1, 20);
                Params.doubleParam(p, "minSize", 0.05, 0.01, 1);
            }
            case "people" -> PeopleConfig.parse(p);
            case "text" -> TextTask.config(p);
            case "mosaic" -> MosaicTask.config(p);
            case "stitch" -> StitchTask.config(p);
            case "annotate" -> AnnotateTask.check(p);
            default -> throw new TaskException(Code.UNSUPPORTED_TASK, "unknown task '" + task + "'; known tasks are " + KNOWN);
        }
    }
}
