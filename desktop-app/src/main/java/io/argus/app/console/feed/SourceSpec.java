package io.argus.app.console.feed;

import io.argus.protocol.v1.TaskRequest;

import java.util.List;

/**
 * A source the operator added: a named stream with its task set.
 *
 * @param name   stream name
 * @param source file, folder, URL or camera:N
 * @param loop   replay files at the end
 * @param tasks  tasks with their own parameters (central configuration is applied on top)
 */
public record SourceSpec(String name, String source, boolean loop, List<TaskRequest> tasks) {
    public SourceSpec {
        tasks = List.copyOf(tasks);
    }

    public List<String> taskNames() {
        return tasks.stream().map(TaskRequest::getName).toList();
    }
}
