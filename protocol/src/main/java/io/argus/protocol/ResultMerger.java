package io.argus.protocol;

import io.argus.protocol.v1.Code;
import io.argus.protocol.v1.FrameResult;
import io.argus.protocol.v1.TaskResult;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Merges several results into one, with the semantics of the original design's
 * {@code MergeResults}:
 * <ul>
 *   <li>string and number maps are merged; when two results carry the same key, the value of the
 *       earlier result is kept (task data keys are prefixed by task, so collisions mean the same
 *       fact reported twice);</li>
 *   <li>images, overlays and events are concatenated in input order;</li>
 *   <li>the status is {@code OK} unless some result failed, and then the first failed status (and
 *       its message) wins.</li>
 * </ul>
 */
public final class ResultMerger {
    private ResultMerger() {
    }

    /** Merges task results; the merged task name joins the distinct input names with commas. */
    public static TaskResult merge(List<TaskResult> results) {
        TaskResult.Builder merged = TaskResult.newBuilder().setStatus(Code.OK);
        Set<String> names = new LinkedHashSet<>();
        boolean failed = false;
        for (TaskResult r : results) {
            names.add(r.getTask());
            if (!failed && r.getStatus() != Code.OK) {
                failed = true;
                merged.setStatus(r.getStatus()).setMessage(r.getMessage());
            }
            r.getStringsMap().forEach((k, v) -> {
                if (!merged.containsStrings(k)) {
                    merged.putStrings(k, v);
                }
            });
            r.getNumbersMap().forEach((k, v) -> {
                if (!merged.containsNumbers(k)) {
                    merged.putNumbers(k, v);
                }
            });
            merged.addAllImages(r.getImagesList());
            merged.addAllOverlays(r.getOverlaysList());
            merged.addAllEvents(r.getEventsList());
        }
        return merged.setTask(String.join(",", names)).build();
    }

    /**
     * Merges frame results of the same frame computed by different agents:
     * task results and timings are concatenated, agent ids joined, and the frame metadata is taken
     * from the first result.
     */
    public static FrameResult mergeFrames(List<FrameResult> results) {
        if (results.isEmpty()) {
            throw new IllegalArgumentException("nothing to merge");
        }
        FrameResult first = results.get(0);
        FrameResult.Builder merged = first.toBuilder().clearTasks().clearTimings().setAgentId("");
        Set<String> agents = new LinkedHashSet<>();
        for (FrameResult r : results) {
            merged.addAllTasks(r.getTasksList());
            merged.addAllTimings(r.getTimingsList());
            if (!r.getAgentId().isEmpty()) {
                agents.add(r.getAgentId());
            }
            merged.setDegraded(merged.getDegraded() || r.getDegraded());
        }
        return merged.setAgentId(String.join(",", agents)).build();
    }

    /** The first failed status among the results' tasks, or {@code OK}. */
    public static Code firstFailure(FrameResult result) {
        for (TaskResult t : result.getTasksList()) {
            if (t.getStatus() != Code.OK) {
                return t.getStatus();
            }
        }
        return Code.OK;
    }
}
