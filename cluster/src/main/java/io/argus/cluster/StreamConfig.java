package io.argus.cluster;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import org.jspecify.annotations.Nullable;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Central configuration of a stream (or the cluster defaults), stored as JSON at
 * {@code /argus/config/streams/{id}} (or {@code /argus/config/defaults}). The version is the
 * znode's data version: every accepted change increments it, and results carry the version they
 * were computed with.
 *
 * @param tasks task name -> parameters (e.g. people -> {lines: "door:...", zones: "..."})
 * @param updatedAtMs when it was last changed
 * @param updatedBy   who changed it
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record StreamConfig(Map<String, Map<String, String>> tasks, long updatedAtMs, String updatedBy) {
    public StreamConfig {
        Map<String, Map<String, String>> copy = new LinkedHashMap<>();
        if (tasks != null) {
            tasks.forEach((k, v) -> copy.put(k, v == null ? Map.of() : Map.copyOf(v)));
        }
        tasks = Map.copyOf(copy);
    }

    public static final StreamConfig EMPTY = new StreamConfig(Map.of(), 0, "");

    /**
     * Parameters of a task, key by key: the cluster defaults, overridden by the stream's own
     * (creation-time) parameters, overridden by the stream's central configuration.
     *
     * <p>Why central configuration wins over the stream's own parameters: it is the operator's
     * latest word. A stream is created once (with {@code --line}, say) and reconfigured live through
     * {@code PUT /v1/streams/{id}/config}; if the creation-time parameters won, such a change would be
     * stored, versioned and answered 200, and never take effect. A key the configuration does not
     * set keeps the stream's own value; the cluster defaults only fill keys neither sets.
     *
     * @param defaults the cluster defaults ({@code /argus/config/defaults}), may be null
     * @param stream   the stream's central configuration ({@code /argus/config/streams/{id}}), may be null
     * @param own      the stream's own parameters for the task, given when it was created, may be null
     */
    public static Map<String, String> merge(@Nullable StreamConfig defaults, @Nullable StreamConfig stream, String task,
                                            @Nullable Map<String, String> own) {
        Map<String, String> out = new LinkedHashMap<>();
        if (defaults != null) {
            out.putAll(defaults.tasks().getOrDefault(task, Map.of()));
        }
        if (own != null) {
            out.putAll(own);
        }
        if (stream != null) {
            out.putAll(stream.tasks().getOrDefault(task, Map.of()));
        }
        return out;
    }
}
