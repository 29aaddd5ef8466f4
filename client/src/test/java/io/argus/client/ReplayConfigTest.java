package io.argus.client;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The replay settings keep their documented defaults and refuse values out of range. */
class ReplayConfigTest {
    @Test
    void defaultsAreTheDocumentedValues() {
        assertThat(ReplayConfig.DEFAULT.maxFrames()).isEqualTo(1_000);
        assertThat(ReplayConfig.DEFAULT.maxBytes()).isEqualTo(256L << 20);
        assertThat(ReplayConfig.builder().maxFrames(0).build().maxFrames()).as("0: replay off").isZero();
    }

    @Test
    void outOfRangeIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> ReplayConfig.builder().maxFrames(-1).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxFrames").hasMessageContaining("out of range");
        assertThatThrownBy(() -> ReplayConfig.builder().maxFrames(1_000_001).build()).hasMessageContaining("maxFrames");
        assertThatThrownBy(() -> ReplayConfig.builder().maxBytes(-1).build()).hasMessageContaining("maxBytes");
    }
}
