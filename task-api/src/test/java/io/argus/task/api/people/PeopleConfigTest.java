package io.argus.task.api.people;

import io.argus.protocol.v1.Code;
import io.argus.task.api.TaskException;
import io.argus.task.geom.ShapeLimits;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PeopleConfigTest {
    @Test
    void parsesLinesAndZones() throws TaskException {
        PeopleConfig c = PeopleConfig.parse(Map.of("lines", "door:384,0,384,576;exit:0,300,768,300",
                "zones", "lobby:0,0,200,0,200,200,0,200"));
        assertThat(c.lines()).extracting(CountingLine::name).containsExactly("door", "exit");
        assertThat(c.zones()).singleElement().satisfies(z -> assertThat(z.polygon().area()).isEqualTo(40_000));
    }

    @Test
    void everyInvalidValueIsRejectedByName() {
        assertBad(Map.of("lines", "door:1,2,3"), "line 'door' needs 4 numbers");
        assertBad(Map.of("lines", "door:1,2,x,4"), "'x' is not a number");
        assertBad(Map.of("lines", "door:5,5,5,5"), "line 'door' is shorter");
        assertBad(Map.of("lines", "a b:1,2,3,4"), "name 'a b'");
        assertBad(Map.of("lines", "d:0,0,10,10;d:0,0,20,20"), "line 'd' is defined twice");
        assertBad(Map.of("zones", "bow:0,0,100,100,100,0,0,100"), "zone 'bow' intersects itself");
        assertBad(Map.of("zones", "z:0,0,1,1"), "zone 'z' needs at least 3 points");
        assertBad(Map.of("minHeight", "7"), "'minHeight'");
        assertBad(Map.of("motion", "sometimes"), "'motion'");
    }

    @Test
    void linesOutsideTheFrameAreRejectedWhenTheFrameIsKnown() throws TaskException {
        PeopleConfig c = PeopleConfig.parse(Map.of("lines", "far:0,0,1000,0"));
        assertThatThrownBy(() -> c.checkFits(768, 576)).isInstanceOf(TaskException.class)
                .hasMessageContaining("line 'far'").hasMessageContaining("outside the 768x576 frame");
        c.checkFits(1920, 1080);
    }

    /** The bounds are counted on the text: a huge zone is refused before a single number is parsed. */
    @Test
    void oversizeShapesAreRefusedBeforeAnyGeometry() {
        String huge = zone("big", 100_000);
        // the refusal names the length bound, which is checked on the text before anything is parsed
        // (no clock: a unit test must not depend on the machine's load)
        assertThatThrownBy(() -> PeopleConfig.parse(Map.of("zones", huge))).isInstanceOf(TaskException.class)
                .hasMessageContaining("maxSpecChars").hasMessageContaining("131072")
                .satisfies(e -> assertThat(((TaskException) e).code()).isEqualTo(Code.BAD_REQUEST));
        assertBad(Map.of("zones", zone("z", 257)), "zone 'z' has 257 points, over the limit of 256 (maxZonePoints)");
        StringBuilder zones = new StringBuilder();
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 33; i++) {
            zones.append("z").append(i).append(":0,0,10,0,10,10;");
            lines.append("l").append(i).append(":0,0,10,").append(i + 1).append(';');
        }
        assertBad(Map.of("zones", zones.toString()), "33 zones, over the limit of 32 per stream (maxZones)");
        assertBad(Map.of("lines", lines.toString()), "33 lines, over the limit of 32 per stream (maxLines)");
    }

    @Test
    void shapesAtTheBoundsAreAccepted() throws TaskException {
        PeopleConfig c = PeopleConfig.parse(Map.of("zones", zone("round", 256)));
        assertThat(c.zones()).singleElement().satisfies(z -> assertThat(z.polygon().points()).hasSize(256));
        ShapeLimits tight = ShapeLimits.custom().maxZonePoints(4).maxZones(1).build();
        assertThatThrownBy(() -> PeopleConfig.parse(Map.of("zones", zone("round", 5)), tight))
                .hasMessageContaining("over the limit of 4");
        assertThat(PeopleConfig.parse(Map.of("zones", zone("sq", 4)), tight).zones()).hasSize(1);
    }

    @Test
    void touchingAndDegenerateZonesAreRefused() {
        assertBad(Map.of("zones", "t:0,0,100,0,100,100,50,0,0,100"), "zone 't' intersects itself");   // vertex on an edge
        assertBad(Map.of("zones", "r:0,0,100,0,100,0,100,100,0,100"), "zone 'r' intersects itself"); // repeated point
        assertBad(Map.of("zones", "c:0,0,50,0,100,0"), "zone 'c' intersects itself");               // collinear
    }

    /** A simple polygon with n vertices on a circle of radius 100 around (200, 200). */
    private static String zone(String name, int n) {
        StringBuilder b = new StringBuilder(name).append(':');
        for (int i = 0; i < n; i++) {
            double a = 2 * Math.PI * i / n;
            b.append(i == 0 ? "" : ",").append(200 + 100 * Math.cos(a)).append(',').append(200 + 100 * Math.sin(a));
        }
        return b.toString();
    }

    private static void assertBad(Map<String, String> params, String message) {
        assertThatThrownBy(() -> PeopleConfig.parse(params)).isInstanceOf(TaskException.class)
                .hasMessageContaining(message);
    }
}
