package io.argus.client;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The live-thinning settings keep their documented defaults and refuse values out of range. */
class ThinningConfigTest {
    @Test
    void defaultsAreTheDocumentedValues() {
        ThinningConfig c = ThinningConfig.DEFAULT;
        assertThat(c.maxStride()).isEqualTo(8);
        assertThat(c.degradeStepMs()).isEqualTo(1_000);
        assertThat(c.recoverMs()).isEqualTo(5_000);
    }

    @Test
    void outOfRangeIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> ThinningConfig.builder().maxStride(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxStride").hasMessageContaining("out of range");
        assertThatThrownBy(() -> ThinningConfig.builder().maxStride(6).build())
                .hasMessageContaining("maxStride").hasMessageContaining("power of two");
        assertThatThrownBy(() -> ThinningConfig.builder().degradeStepMs(-1).build()).hasMessageContaining("degradeStepMs");
        assertThatThrownBy(() -> ThinningConfig.builder().recoverMs(3_600_001).build()).hasMessageContaining("recoverMs");
        assertThat(ThinningConfig.builder().maxStride(1).build().maxStride()).as("1: never thin").isEqualTo(1);
    }
}
