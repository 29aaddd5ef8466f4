package io.argus.agent.managed;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ManagedRetryConfigTest {
    @Test
    void defaultsAreTheDocumentedConstants() {
        ManagedRetryConfig d = ManagedRetryConfig.DEFAULT;
        assertThat(d.initialMs()).isEqualTo(ManagedRetryConfig.DEFAULT_INITIAL_MS);
        assertThat(d.maxMs()).isEqualTo(ManagedRetryConfig.DEFAULT_MAX_MS);
        assertThat(d.failAfter()).isEqualTo(ManagedRetryConfig.DEFAULT_FAIL_AFTER);
    }

    @Test
    void outOfRangeSettingsAreErrorsNamingTheSetting() {
        assertThatThrownBy(() -> ManagedRetryConfig.builder().failAfter(0).build()).hasMessageContaining("failAfter");
        assertThatThrownBy(() -> ManagedRetryConfig.builder().initialMs(5).build()).hasMessageContaining("initialMs");
        assertThatThrownBy(() -> ManagedRetryConfig.builder().initialMs(2_000).maxMs(1_000).build())
                .hasMessageContaining("initialMs");
        assertThatThrownBy(() -> ManagedRetryConfig.builder().maxMs(3_600_001).build()).hasMessageContaining("maxMs");
    }
}
