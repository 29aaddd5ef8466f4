package io.argus.agent.task;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** An event's id is what the event is: the same decision, replayed on another agent, has the same id. */
class EventIdsTest {
    static TaskContext frame(String stream, long seq, long sourceIndex, long captureUs) {
        return new TaskContext(stream, seq, sourceIndex, captureUs, null, Map.of(), null);
    }

    @Test
    void theIdDependsOnWhatWasDecidedNotWhenOrWhere() {
        String first = EventIds.of(frame("door-cam", 41, 41, 1_000), "people", "crossing", "door", 7);
        // the same frame replayed after a failover: another time, the same sequence
        String replayed = EventIds.of(frame("door-cam", 41, 41, 9_999_999), "people", "crossing", "door", 7);
        assertThat(replayed).isEqualTo(first).isEqualTo("door-cam/people/crossing/door/7/41");
        assertThat(EventIds.of(frame("door-cam", 42, 42, 1_000), "people", "crossing", "door", 7)).isNotEqualTo(first);
        assertThat(EventIds.of(frame("door-cam", 41, 41, 1_000), "people", "crossing", "exit", 7)).isNotEqualTo(first);
        assertThat(EventIds.of(frame("door-cam", 41, 41, 1_000), "people", "crossing", "door", 8)).isNotEqualTo(first);
        // two watch-list patterns hitting one reading are two events
        assertThat(EventIds.of(frame("signs", 3, 3, 0), "text", "watch", "pattern-0", 1))
                .isNotEqualTo(EventIds.of(frame("signs", 3, 3, 0), "text", "watch", "pattern-1", 1));
    }
}
