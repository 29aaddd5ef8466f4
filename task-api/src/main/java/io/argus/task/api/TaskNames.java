package io.argus.task.api;

import java.util.List;

/**
 * The names clients put in {@code TaskRequest.name} and in a stream's configuration, one per
 * built-in task. The agent's task classes take their {@code NAME} from here, so that the
 * coordinator and the console know the catalogue without loading any task.
 */
public final class TaskNames {
    public static final String NOOP = "noop";
    public static final String COLOR = "color";
    public static final String FACES = "faces";
    public static final String PEOPLE = "people";
    public static final String TEXT = "text";
    public static final String MOSAIC = "mosaic";
    public static final String STITCH = "stitch";
    public static final String ANNOTATE = "annotate";

    /** Every built-in task, in the order consoles offer them. */
    public static final List<String> KNOWN = List.of(NOOP, COLOR, FACES, PEOPLE, TEXT, MOSAIC, STITCH, ANNOTATE);

    private TaskNames() {
    }
}
