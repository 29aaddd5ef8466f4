package io.argus.agent.record;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The event link's bounds keep their documented defaults and refuse values out of range. */
class EventLinkConfigTest {
    @Test
    void defaultsAreTheDocumentedValues() {
        EventLinkConfig c = EventLinkConfig.DEFAULT;
        assertThat(c.maxQueued()).isEqualTo(20_000);
        assertThat(c.batch()).isEqualTo(200);
        assertThat(c.ackTimeoutMs()).isEqualTo(5_000);
        assertThat(c.firstReconnectMs()).isEqualTo(200);
        assertThat(c.maxReconnectMs()).isEqualTo(5_000);
        assertThat(c.heartbeatIntervalMs()).isEqualTo(1_000);
        assertThat(c.heartbeatTimeoutMs()).isEqualTo(10_000);
        assertThat(c.maxParkedStores()).isEqualTo(8);
        assertThat(c.parkedRetentionMs()).isEqualTo(3_600_000);
    }

    @Test
    void outOfRangeIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> EventLinkConfig.builder().maxQueued(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxQueued").hasMessageContaining("out of range");
        assertThatThrownBy(() -> EventLinkConfig.builder().batch(0).build()).hasMessageContaining("batch");
        assertThatThrownBy(() -> EventLinkConfig.builder().firstReconnectMs(6_000).build()).hasMessageContaining("firstReconnectMs");
        assertThatThrownBy(() -> EventLinkConfig.builder().heartbeatTimeoutMs(1_000).build()).hasMessageContaining("heartbeatTimeoutMs");
        assertThatThrownBy(() -> EventLinkConfig.builder().maxParkedStores(0).build()).hasMessageContaining("maxParkedStores");
        assertThatThrownBy(() -> EventLinkConfig.builder().parkedRetentionMs(10).build()).hasMessageContaining("parkedRetentionMs");
    }
}
