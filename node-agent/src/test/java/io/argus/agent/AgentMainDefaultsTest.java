package io.argus.agent;

import io.argus.agent.record.EventLinkConfig;
import io.argus.agent.state.CheckpointConfig;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The agent's command line without options gives the configuration AgentConfig's own defaults give; its settings options reach it. */
class AgentMainDefaultsTest {
    @Test
    void optionsLeftOutTakeTheConfigurationDefaults() throws Exception {
        AgentMain main = new AgentMain();
        new CommandLine(main).parseArgs();
        AgentConfig fromCli = main.toConfig();
        AgentConfig defaults = AgentConfig.builder().build();
        assertThat(fromCli.port()).isEqualTo(defaults.port()).isEqualTo(AgentConfig.DEFAULT_PORT);
        assertThat(fromCli.metricsPort()).isEqualTo(defaults.metricsPort()).isEqualTo(AgentConfig.DEFAULT_METRICS_PORT);
        assertThat(fromCli.zkRoot()).isEqualTo(defaults.zkRoot()).isEqualTo(AgentConfig.DEFAULT_ZK_ROOT);
        assertThat(fromCli.zkSessionTimeoutMs()).isEqualTo(AgentConfig.DEFAULT_SESSION_TIMEOUT_MS);
        assertThat(fromCli.shedCpuThreshold()).isEqualTo(AgentConfig.DEFAULT_SHED_CPU_THRESHOLD);
        assertThat(fromCli.opencvThreads()).isEqualTo(AgentConfig.DEFAULT_OPENCV_THREADS);
        assertThat(fromCli.creditsPerConnection()).isEqualTo(AgentConfig.DEFAULT_CREDITS_PER_CONNECTION);
        assertThat(fromCli.warmup()).isEqualTo(defaults.warmup());
        assertThat(fromCli.eventLink()).isEqualTo(defaults.eventLink()).isEqualTo(EventLinkConfig.DEFAULT);
        assertThat(fromCli.checkpoint()).isEqualTo(defaults.checkpoint()).isEqualTo(CheckpointConfig.DEFAULT);
    }

    @Test
    void eventLinkOptionsReachTheConfiguration() throws Exception {
        AgentMain main = new AgentMain();
        new CommandLine(main).parseArgs("--event-max-queued", "500", "--event-batch", "50", "--event-ack-timeout-ms", "2000",
                "--event-max-reconnect-ms", "8000", "--event-heartbeat-timeout-ms", "4000", "--event-parked-stores", "2",
                "--event-parked-retention-ms", "60000");
        EventLinkConfig c = main.toConfig().eventLink();
        assertThat(c).isEqualTo(EventLinkConfig.builder().maxQueued(500).batch(50).ackTimeoutMs(2_000).maxReconnectMs(8_000)
                .heartbeatTimeoutMs(4_000).maxParkedStores(2).parkedRetentionMs(60_000).build());
    }

    @Test
    void anEventLinkOptionOutOfRangeIsRefusedNamingTheSetting() {
        AgentMain main = new AgentMain();
        new CommandLine(main).parseArgs("--event-max-queued", "0");
        assertThatThrownBy(main::toConfig).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxQueued");
    }
}
