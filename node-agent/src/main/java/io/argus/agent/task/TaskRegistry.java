package io.argus.agent.task;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The tasks an agent can run; their names are its advertised capabilities. */
public final class TaskRegistry implements AutoCloseable {
    private final Map<String, VisionTask> tasks = new LinkedHashMap<>();

    public TaskRegistry register(VisionTask task) {
        if (tasks.putIfAbsent(task.name(), task) != null) {
            throw new IllegalArgumentException("task registered twice: " + task.name());
        }
        return this;
    }

    public Optional<VisionTask> find(String name) {
        return Optional.ofNullable(tasks.get(name));
    }

    public List<String> names() {
        return Collections.unmodifiableList(new ArrayList<>(tasks.keySet()));
    }

    @Override
    public void close() {
        tasks.values().forEach(VisionTask::close);
    }
}
