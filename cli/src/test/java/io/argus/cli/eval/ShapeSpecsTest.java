package io.argus.cli.eval;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ShapeSpecsTest {
    @Test
    void zonesAreBoundedAndSimpleLikeOnTheAgents() {
        assertThat(ShapeSpecs.zone("sq:0,0,10,0,10,10,0,10").polygon().points()).hasSize(4);
        assertThatThrownBy(() -> ShapeSpecs.zone("bow:0,0,10,10,10,0,0,10")).hasMessageContaining("intersects itself");
        StringBuilder b = new StringBuilder("big:");
        for (int i = 0; i < 257; i++) {
            double a = 2 * Math.PI * i / 257;
            b.append(i == 0 ? "" : ",").append(100 + 50 * Math.cos(a)).append(',').append(100 + 50 * Math.sin(a));
        }
        assertThatThrownBy(() -> ShapeSpecs.zone(b.toString())).hasMessageContaining("257 points")
                .hasMessageContaining("maxZonePoints");
        assertThatThrownBy(() -> ShapeSpecs.line("l:" + "1,".repeat(70_000) + "1")).hasMessageContaining("maxSpecChars");
        assertThatThrownBy(() -> ShapeSpecs.checkCount("--zone", 33, 32)).hasMessageContaining("--zone given 33 times");
        ShapeSpecs.checkCount("--zone", 32, 32);
    }
}
