package io.argus.agent.task.people;

import io.argus.agent.task.TaskException;
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

    private static void assertBad(Map<String, String> params, String message) {
        assertThatThrownBy(() -> PeopleConfig.parse(params)).isInstanceOf(TaskException.class)
                .hasMessageContaining(message);
    }
}
