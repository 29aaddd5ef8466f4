package io.argus.client;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The retry backoff settings keep their documented defaults and refuse values out of range. */
class BackoffConfigTest {
    @Test
    void defaultsAreTheDocumentedValues() {
        BackoffConfig c = BackoffConfig.DEFAULT;
        assertThat(c.initialMs()).isEqualTo(20);
        assertThat(c.multiplier()).isEqualTo(2.0);
        assertThat(c.maxMs()).isEqualTo(1_000);
        assertThat(c.intervals().apply(1)).isEqualTo(20L);
        assertThat(c.intervals().apply(100)).isEqualTo(1_000L);
    }

    @Test
    void outOfRangeIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> BackoffConfig.builder().initialMs(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("initialMs").hasMessageContaining("out of range");
        assertThatThrownBy(() -> BackoffConfig.builder().multiplier(0.5).build()).hasMessageContaining("multiplier");
        assertThatThrownBy(() -> BackoffConfig.builder().multiplier(Double.NaN).build()).hasMessageContaining("multiplier");
        assertThatThrownBy(() -> BackoffConfig.builder().initialMs(500).maxMs(100).build()).hasMessageContaining("maxMs");
    }
}
