package io.argus.coordinator.store;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The store's settings keep their documented defaults and refuse values out of range naming the setting. */
class StoreSettingsTest {
    @Test
    void defaultsAreTheDocumentedValues() {
        assertThat(StoreSettings.DEFAULT.writeReserveBytes()).isEqualTo(32L << 20);
        assertThat(StoreSettings.DEFAULT.reopenInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(StoreSettings.DEFAULT.fileSystemPrefix()).isEmpty();
    }

    @Test
    void outOfRangeIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> StoreSettings.builder().writeReserveBytes(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("writeReserveBytes");
        assertThatThrownBy(() -> StoreSettings.builder().reopenInterval(Duration.ofMillis(9))).hasMessageContaining("reopenInterval");
        assertThatThrownBy(() -> StoreSettings.builder().reopenInterval(Duration.ofMinutes(11))).hasMessageContaining("reopenInterval");
        assertThatThrownBy(() -> StoreSettings.builder().fileSystemPrefix("no prefix")).hasMessageContaining("fileSystemPrefix");
    }
}
