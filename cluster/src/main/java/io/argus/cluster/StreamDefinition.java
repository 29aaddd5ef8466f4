package io.argus.cluster;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import org.jspecify.annotations.Nullable;

import java.util.List;
import java.util.Map;

/**
 * A stream registered in the cluster, stored as JSON at {@code /argus/streams/{id}}.
 *
 * @param id          stream id (a ZooKeeper-safe name)
 * @param owner       who registered it (client id, or "coordinator" for managed streams)
 * @param kind        {@code client} (frames sent by a console or analyze; the node is ephemeral and
 *                    vanishes with its client) or {@code managed} (pulled by its agent from
 *                    {@code source}; persistent)
 * @param tasks       task names with their creation-time parameters; the stream's central configuration
 *                    overrides them key by key ({@link StreamConfig#merge})
 * @param source      for managed streams: RTSP/HTTP URL, file path or camera:N on the agent's machine
 * @param loop        managed file sources: start again at the end
 * @param createdAtMs registration time
 * @param width       frame width when known (0 otherwise): lets the coordinator reject lines outside the frame
 * @param height      frame height when known
 * @param recordedAtUs managed recordings: when the recording began (epoch microseconds); its events are
 *                    dated this plus each frame's presentation time, on the recording's clock
 *                    ({@code FrameRequest.recorded_at_us}). 0: dated from {@code createdAtMs}
 * @param replay      for one segment of a replayed recording ({@code stream add --replay}): which frames
 *                    it runs and owns, and the recording it records for; null for any other stream
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record StreamDefinition(String id, String owner, String kind, List<TaskSpec> tasks, @Nullable String source,
                               boolean loop, long createdAtMs, int width, int height, long recordedAtUs,
                               @Nullable ReplaySegment replay) {

    public static final String CLIENT = "client";
    public static final String MANAGED = "managed";
    /**
     * The name of a replayed recording ({@code stream add --replay}): reserves the name its segments
     * record under, holds the source and tasks for the operator to read, and is never placed or run.
     */
    public static final String REPLAY = "replay";

    public StreamDefinition {
        tasks = tasks == null ? List.of() : List.copyOf(tasks);
    }

    /** A stream whose events are dated by capture time (no recording start). */
    public StreamDefinition(String id, String owner, String kind, List<TaskSpec> tasks, @Nullable String source,
                            boolean loop, long createdAtMs, int width, int height) {
        this(id, owner, kind, tasks, source, loop, createdAtMs, width, height, 0, null);
    }

    /**
     * One segment of a recording replayed in parallel: its stream runs frames
     * {@code [warmUpStart, end)} of the file as fast as its agent can, records the events of
     * {@code [start, end)} under the recording's name, and finishes. The warm-up builds the state
     * (background model, tracks in view) and its events are the previous segment's to record.
     *
     * @param recording   the recording's name, which the segments' events are recorded under
     * @param index       0-based, in file order
     * @param count       segments of the recording
     * @param warmUpStart first frame run ({@code start} minus the warm-up; FFmpeg decodes from the keyframe
     *                    at or before it)
     * @param start       first frame owned (recorded)
     * @param end         first frame after the segment
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ReplaySegment(String recording, int index, int count, long warmUpStart, long start, long end) {
        public ReplaySegment {
            if (index < 0 || count < 1 || index >= count || warmUpStart < 0 || warmUpStart > start || start >= end
                    || end > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("segment " + index + " of " + count + ": frames " + warmUpStart + ", "
                        + start + "-" + end + " must satisfy 0 <= warm-up start <= start < end <= 2^31 - 1");
            }
        }

        /** Whether the frame at {@code sourceIndex} is one this segment records. */
        public boolean owns(long sourceIndex) {
            return sourceIndex >= start && sourceIndex < end;
        }
    }

    public boolean managed() {
        return MANAGED.equals(kind);
    }

    /** The name a replayed recording's segments record under: never placed, never run. */
    public boolean replayName() {
        return REPLAY.equals(kind);
    }

    public List<String> taskNames() {
        return tasks.stream().map(TaskSpec::name).toList();
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record TaskSpec(String name, Map<String, String> params) {
        public TaskSpec {
            params = params == null ? Map.of() : Map.copyOf(params);
        }
    }
}
