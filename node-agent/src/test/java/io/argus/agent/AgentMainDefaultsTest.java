package io.argus.agent;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;

/** The agent's command line without options gives the configuration AgentConfig's own defaults give. */
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
    }
}
