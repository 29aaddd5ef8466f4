package io.argus.cli.analyze.segment;

import io.argus.cli.analyze.CompositePump;
import io.argus.protocol.v1.TaskRequest;
import io.argus.task.api.TaskNames;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The tasks of each source in a composite run cut into segments ({@link CompositePlan}), set so
 * that every segment composes as the serial run does:
 * <ul>
 *   <li>{@code mosaic} orders its tiles as they joined the wall; a segment's warm-up meets them in
 *       another order, so each segment is told the serial run's ({@code pinned}: the operator's own
 *       pinned tiles first, as before, then the others in the order their first frames come);</li>
 *   <li>{@code stitch} takes the first camera it saw as the reference unless told one; each segment
 *       is told the serial run's ({@code reference});</li>
 *   <li>{@code mosaic.every} other than 1 is refused: it counts the frames one agent composed, which a
 *       segment cannot know;</li>
 *   <li>{@code people} and {@code text} are refused: they track one camera, and a composite's stream
 *       interleaves several (run them on each file, with {@code --parallel} if it is long).</li>
 * </ul>
 */
public final class CompositeTasks {
    private static final Set<String> TRACKING = Set.of(TaskNames.PEOPLE, TaskNames.TEXT);

    private CompositeTasks() {
    }

    /**
     * Refuses what a composite run cut into segments cannot do as the serial run does (above), and
     * what the serial run refuses itself, before anything runs.
     *
     * @param names each source's tile or camera name
     */
    public static void check(List<TaskRequest> tasks, List<String> names) {
        for (TaskRequest t : tasks) {
            if (TRACKING.contains(t.getName())) {
                throw new IllegalArgumentException("--parallel with several sources composes them (mosaic, stitch, annotate, color, "
                        + "faces); " + t.getName() + " follows one camera (--line, --zone, --watch, --mot-out and --gt ask for it): "
                        + "run it on each file on its own");
            }
            if (t.getName().equals(TaskNames.MOSAIC) && !isOne(t.getParamsOrDefault("every", "1"))) {
                throw new IllegalArgumentException("--param mosaic.every=" + t.getParamsOrThrow("every") + ": with --parallel every "
                        + "frame is composed (a segment cannot count the frames another composed); leave it out");
            }
            if (t.getName().equals(TaskNames.STITCH)) {
                if (names.size() != 2) {
                    throw new IllegalArgumentException("stitch composes exactly two sources (got " + names.size() + ")");
                }
                String ref = t.getParamsOrDefault("reference", "").strip();
                if (!ref.isEmpty() && !names.contains(ref)) {
                    throw new IllegalArgumentException("--param stitch.reference=" + ref + " names no source: the sources are " + names);
                }
            }
        }
        for (String n : names) {
            CompositePump.tasksFor(tasks, n); // refuses a tile or camera name the run sets itself
        }
    }

    private static boolean isOne(String every) {
        try {
            return Integer.parseInt(every.strip()) == 1;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * Each source's tasks, as the segments must run them.
     *
     * @param names     each source's tile or camera name
     * @param joinOrder the sources in the order the serial run meets them ({@link CompositePlan#joinOrder()})
     */
    public static List<List<TaskRequest>> perSource(List<TaskRequest> tasks, List<String> names, List<Integer> joinOrder) {
        check(tasks, names);
        List<TaskRequest> fixed = new ArrayList<>();
        for (TaskRequest t : tasks) {
            if (t.getName().equals(TaskNames.MOSAIC)) {
                Set<String> pinned = new LinkedHashSet<>();
                for (String p : t.getParamsOrDefault("pinned", "").split(",")) {
                    if (!p.isBlank()) {
                        pinned.add(p.strip());
                    }
                }
                joinOrder.forEach(i -> pinned.add(names.get(i)));
                t = t.toBuilder().putParams("pinned", String.join(",", pinned)).build();
            } else if (t.getName().equals(TaskNames.STITCH) && t.getParamsOrDefault("reference", "").isBlank() && !joinOrder.isEmpty()) {
                t = t.toBuilder().putParams("reference", names.get(joinOrder.get(0))).build();
            }
            fixed.add(t);
        }
        List<List<TaskRequest>> out = new ArrayList<>();
        for (String n : names) {
            out.add(CompositePump.tasksFor(fixed, n));
        }
        return out;
    }
}
