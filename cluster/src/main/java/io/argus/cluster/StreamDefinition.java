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
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record StreamDefinition(String id, String owner, String kind, List<TaskSpec> tasks, @Nullable String source,
                               boolean loop, long createdAtMs, int width, int height, long recordedAtUs) {

    public static final String CLIENT = "client";
    public static final String MANAGED = "managed";

    public StreamDefinition {
        tasks = tasks == null ? List.of() : List.copyOf(tasks);
    }

    /** A stream whose events are dated by capture time (no recording start). */
    public StreamDefinition(String id, String owner, String kind, List<TaskSpec> tasks, @Nullable String source,
                            boolean loop, long createdAtMs, int width, int height) {
        this(id, owner, kind, tasks, source, loop, createdAtMs, width, height, 0);
    }

    public boolean managed() {
        return MANAGED.equals(kind);
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
