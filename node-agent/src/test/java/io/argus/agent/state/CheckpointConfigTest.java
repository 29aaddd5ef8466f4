package io.argus.agent.state;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The checkpoint settings keep their documented defaults and refuse values out of range. */
class CheckpointConfigTest {
    @Test
    void defaultsAreTheDocumentedValues() {
        assertThat(CheckpointConfig.DEFAULT.intervalMs()).isEqualTo(2_000);
        assertThat(CheckpointConfig.DEFAULT.everyFrames()).isEqualTo(250);
        assertThat(CheckpointConfig.builder().everyFrames(0).build().everyFrames()).as("0: no frame count").isZero();
    }

    @Test
    void outOfRangeIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> CheckpointConfig.builder().intervalMs(99).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("intervalMs").hasMessageContaining("out of range");
        assertThatThrownBy(() -> CheckpointConfig.builder().everyFrames(-1).build()).hasMessageContaining("everyFrames");
        assertThatThrownBy(() -> CheckpointConfig.builder().everyFrames(1_000_001).build()).hasMessageContaining("everyFrames");
    }
}
