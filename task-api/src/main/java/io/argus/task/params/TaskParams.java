package io.argus.task.params;

import io.argus.protocol.v1.Code;
import io.argus.task.api.ColorParams;
import io.argus.task.api.FaceParams;
import io.argus.task.api.TaskException;
import io.argus.task.api.TaskNames;
import io.argus.task.api.composite.AnnotateParams;
import io.argus.task.api.composite.MosaicParams;
import io.argus.task.api.composite.StitchParams;
import io.argus.task.api.people.PeopleConfig;
import io.argus.task.api.text.TextParams;

import java.util.Map;

/**
 * Parameter validation of every built-in task, without loading any native library: the
 * coordinator checks central configuration with exactly the rules the agents apply, because each
 * agent task parses its parameters with the same {@code XxxParams.parse} called here.
 */
public final class TaskParams {

    private TaskParams() {
    }

    public static void validate(String task, Map<String, String> p) throws TaskException {
        switch (task) {
            case TaskNames.NOOP -> {
            }
            case TaskNames.COLOR -> ColorParams.parse(p);
            case TaskNames.FACES -> FaceParams.parse(p);
            case TaskNames.PEOPLE -> PeopleConfig.parse(p);
            case TaskNames.TEXT -> TextParams.parse(p);
            case TaskNames.MOSAIC -> MosaicParams.parse(p);
            case TaskNames.STITCH -> StitchParams.parse(p);
            case TaskNames.ANNOTATE -> AnnotateParams.parse(p);
            default -> throw new TaskException(Code.UNSUPPORTED_TASK,
                    "unknown task '" + task + "'; known tasks are " + TaskNames.KNOWN);
        }
    }
}
