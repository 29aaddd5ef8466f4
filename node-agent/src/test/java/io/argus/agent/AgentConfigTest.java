package io.argus.agent;

import io.argus.agent.record.EventLinkConfig;
import io.argus.agent.state.CheckpointConfig;
import org.junit.jupiter.api.Test;

import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The agent's range-checked settings refuse values out of range naming the setting; its settings records default. */
class AgentConfigTest {
    static void refused(UnaryOperator<AgentConfig.Builder> change, String setting) {
        assertThatThrownBy(() -> change.apply(AgentConfig.builder()).build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(setting).hasMessageContaining("out of range");
    }

    @Test
    void outOfRangeIsRefusedNamingTheSetting() {
        refused(b -> b.workers(0), "workers");
        refused(b -> b.shedCpuThreshold(1.5), "shedCpuThreshold");
        refused(b -> b.maxFrameBytes(1023), "maxFrameBytes");
        refused(b -> b.creditsPerConnection(1025), "creditsPerConnection");
        refused(b -> b.maxSubscriptionsPerConnection(0), "maxSubscriptionsPerConnection");
        refused(b -> b.port(65_536), "port");
        refused(b -> b.maxPixels(0), "maxPixels");
        refused(b -> b.maxDimension(0), "maxDimension");
        refused(b -> b.taskBudgetMs(-1), "taskBudgetMs");
        refused(b -> b.stuckWorkerGraceMs(9), "stuckWorkerGraceMs");
        refused(b -> b.maxStuckWorkers(257), "maxStuckWorkers");
        refused(b -> b.maxStreamStateBytes(1_000), "maxStreamStateBytes");
        refused(b -> b.maxStreamStateBytes(1L << 20).maxStateBytes(1L << 19), "maxStateBytes");
        refused(b -> b.opencvThreads(0), "opencvThreads");
    }

    @Test
    void theSettingsRecordsDefaultAndAreKept() {
        AgentConfig d = AgentConfig.builder().build();
        assertThat(d.eventLink()).isEqualTo(EventLinkConfig.DEFAULT);
        assertThat(d.checkpoint()).isEqualTo(CheckpointConfig.DEFAULT);
        EventLinkConfig link = EventLinkConfig.builder().maxQueued(10).build();
        assertThat(AgentConfig.builder().eventLink(link).build().toBuilder().build().eventLink()).isEqualTo(link);
    }
}
