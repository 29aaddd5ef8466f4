package io.argus.agent.task;

import io.argus.agent.AgentConfig;
import io.argus.agent.NodeAgent;
import io.argus.protocol.StatefulTasks;
import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** Clients and the coordinator know which tasks keep state from {@link StatefulTasks}: it must say what the agent does. */
class StatefulTasksTest {
    @Test
    void theSharedListNamesExactlyTheAgentsStatefulTasks() {
        NodeAgent.Processing p = NodeAgent.processing(AgentConfig.builder().warmup(false).build());
        try {
            Set<String> stateful = new TreeSet<>();
            for (String name : p.tasks().names()) {
                if (p.tasks().find(name).orElseThrow() instanceof StatefulTask<?>) {
                    stateful.add(name);
                }
            }
            assertThat(stateful).isEqualTo(new TreeSet<>(StatefulTasks.NAMES));
        } finally {
            p.lanes().close();
            p.pipeline().close();
        }
    }
}
