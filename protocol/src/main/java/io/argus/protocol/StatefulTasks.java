package io.argus.protocol;

import java.util.Collection;
import java.util.Set;

/**
 * The tasks that keep per-stream state on an agent (tracks, line totals, zone dwell, text
 * agreement, the stitch homography, the mosaic's tiles). A stream that runs one of them is
 * <em>sequenced</em>: its frames are applied strictly in sequence order, its state is checkpointed
 * at a known frame, and it moves between agents only when its agent is lost, draining or fenced.
 * The agent's test {@code StatefulTasksTest} checks this list against the tasks it implements.
 */
public final class StatefulTasks {
    public static final Set<String> NAMES = Set.of("people", "text", "stitch", "mosaic");

    private StatefulTasks() {
    }

    public static boolean any(Collection<String> tasks) {
        for (String t : tasks) {
            if (NAMES.contains(t)) {
                return true;
            }
        }
        return false;
    }
}
