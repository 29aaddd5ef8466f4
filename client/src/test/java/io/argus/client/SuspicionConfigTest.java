package io.argus.client;

import io.argus.protocol.client.AgentBreakerConfig;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The suspicion settings keep their documented defaults and refuse values out of range. */
class SuspicionConfigTest {
    @Test
    void defaultsAreTheDocumentedValues() {
        SuspicionConfig c = SuspicionConfig.DEFAULT;
        assertThat(c.suspectMs()).isEqualTo(5_000);
        assertThat(c.overloadStreakToMove()).isEqualTo(20);
        assertThat(c.sequencedStallMs()).isEqualTo(120_000);
        // as long as the per-agent breaker stays open: a failed agent is avoided alike either way
        assertThat(c.suspectMs()).isEqualTo(AgentBreakerConfig.DEFAULT_OPEN_MS);
    }

    @Test
    void outOfRangeIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> SuspicionConfig.builder().suspectMs(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("suspectMs").hasMessageContaining("out of range");
        assertThatThrownBy(() -> SuspicionConfig.builder().overloadStreakToMove(0).build())
                .hasMessageContaining("overloadStreakToMove");
        assertThatThrownBy(() -> SuspicionConfig.builder().sequencedStallMs(999).build())
                .hasMessageContaining("sequencedStallMs");
    }
}
