package io.argus.cluster;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

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

    /** Parameters of a task: the defaults, overridden by this stream's, overridden by the request's own. */
    public static Map<String, String> merge(StreamConfig defaults, StreamConfig stream, String task,
                                            Map<String, String> request) {
        Map<String, String> out = new LinkedHashMap<>();
        if (defaults != null) {
            out.putAll(defaults.tasks().getOrDefault(task, Map.of()));
        }
        if (stream != null) {
            out.putAll(stream.tasks().getOrDefault(task, Map.of()));
        }
        if (request != null) {
            out.putAll(request);
        }
        return out;
    }
}
