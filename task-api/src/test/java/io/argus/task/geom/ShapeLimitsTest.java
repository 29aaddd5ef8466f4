package io.argus.task.geom;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ShapeLimitsTest {
    @Test
    void defaultsAreTheDocumentedConstants() {
        ShapeLimits d = ShapeLimits.DEFAULT;
        assertThat(d.maxZonePoints()).isEqualTo(ShapeLimits.DEFAULT_MAX_ZONE_POINTS).isEqualTo(256);
        assertThat(d.maxZones()).isEqualTo(ShapeLimits.DEFAULT_MAX_ZONES).isEqualTo(32);
        assertThat(d.maxLines()).isEqualTo(ShapeLimits.DEFAULT_MAX_LINES).isEqualTo(32);
        assertThat(d.maxSpecChars()).isEqualTo(ShapeLimits.DEFAULT_MAX_SPEC_CHARS).isEqualTo(131_072);
    }

    @Test
    void theBuilderSetsEachBound() {
        ShapeLimits l = ShapeLimits.custom().maxZonePoints(8).maxZones(2).maxLines(1).maxSpecChars(1000).build();
        assertThat(l.maxZonePoints()).isEqualTo(8);
        assertThat(l.maxZones()).isEqualTo(2);
        assertThat(l.maxLines()).isEqualTo(1);
        assertThat(l.maxSpecChars()).isEqualTo(1000);
        assertThat(l.toString()).contains("maxZonePoints=8");
    }

    @Test
    void valuesOutOfRangeAreRefusedByName() {
        assertThatThrownBy(() -> ShapeLimits.custom().maxZonePoints(2)).hasMessageContaining("maxZonePoints");
        assertThatThrownBy(() -> ShapeLimits.custom().maxZonePoints(100_001)).hasMessageContaining("maxZonePoints");
        assertThatThrownBy(() -> ShapeLimits.custom().maxZones(-1)).hasMessageContaining("maxZones");
        assertThatThrownBy(() -> ShapeLimits.custom().maxLines(10_001)).hasMessageContaining("maxLines");
        assertThatThrownBy(() -> ShapeLimits.custom().maxSpecChars(63)).hasMessageContaining("maxSpecChars");
        assertThat(ShapeLimits.custom().maxZones(0).build().maxZones()).isZero();
    }
}
