package io.argus.coordinator.assign;

import io.argus.cluster.AgentInfo;
import io.argus.cluster.AgentLoad;
import io.argus.cluster.AgentPayload;
import io.argus.cluster.Assignment;
import io.argus.cluster.StreamDefinition;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Sticky placement and its planned rebalance, on a fake clock. */
class StickyPlacementTest {
    static final List<String> ALL = List.of("people", "text", "color");
    final AtomicLong now = new AtomicLong(1_000_000);
    final StickyPlacement sticky = new StickyPlacement(now::get);

    static AgentInfo agent(String id, boolean draining) {
        return new AgentInfo(id, new AgentPayload("127.0.0.1", 1, -1, 1, ALL, 1, 1,
                new AgentLoad(0, 0, 0, 0, 0, 0.99), 0, 0, draining, "t"));
    }

    static StreamDefinition stream(String id, String task) {
        return new StreamDefinition(id, "op", StreamDefinition.MANAGED,
                List.of(new StreamDefinition.TaskSpec(task, Map.of())), "x.avi", false, 0, 0, 0);
    }

    Assignment on(String agent, long at) {
        return new Assignment(agent, "rendezvous", at, "L");
    }

    @Test
    void aStatefulStreamStaysOnALiveAgentHoweverLoadedAndAStatelessOneFollowsThePlacement() {
        Map<String, StreamDefinition> streams = Map.of("door", stream("door", "people"), "tint", stream("tint", "color"));
        Map<String, Assignment> current = Map.of("door", on("a", now.get()), "tint", on("a", now.get()));
        Map<String, String> out = sticky.apply(Map.of("door", "b", "tint", "b"), streams, current,
                List.of(agent("a", false), agent("b", false)));
        assertThat(out).containsEntry("door", "a").containsEntry("tint", "b");
    }

    @Test
    void itMovesAtOnceWhenItsAgentDrainsOrIsGone() {
        Map<String, StreamDefinition> streams = Map.of("door", stream("door", "people"));
        Map<String, Assignment> current = Map.of("door", on("a", now.get()));
        assertThat(sticky.apply(Map.of("door", "b"), streams, current, List.of(agent("a", true), agent("b", false))))
                .containsEntry("door", "b");
        assertThat(sticky.apply(Map.of("door", "b"), streams, current, List.of(agent("b", false))))
                .containsEntry("door", "b");
    }

    @Test
    void aPlannedMoveWaitsAMinuteOfAnUnbrokenWishAndNeverGoesBack() {
        // three stateful streams on a, none on b (b joined): the placement wants two of them on b
        Map<String, StreamDefinition> streams = new LinkedHashMap<>();
        Map<String, Assignment> current = new HashMap<>();
        for (String s : List.of("s1", "s2", "s3")) {
            streams.put(s, stream(s, "people"));
            current.put(s, on("a", now.get()));
        }
        List<AgentInfo> agents = List.of(agent("a", false), agent("b", false));
        Map<String, String> desired = Map.of("s1", "b", "s2", "a", "s3", "b");

        assertThat(sticky.apply(desired, streams, current, agents)).containsValues("a").doesNotContainValue("b");
        now.addAndGet(AssignmentConfig.DEFAULT_REBALANCE_HYSTERESIS_MS - 1);
        assertThat(sticky.apply(desired, streams, current, agents)).as("before the minute is up")
                .doesNotContainValue("b");

        // the wish broke for a pass (a flapping registration): the minute starts again
        sticky.apply(Map.of("s1", "a", "s2", "a", "s3", "a"), streams, current, agents);
        now.addAndGet(AssignmentConfig.DEFAULT_REBALANCE_HYSTERESIS_MS - 1);
        assertThat(sticky.apply(desired, streams, current, agents)).doesNotContainValue("b");
        now.addAndGet(AssignmentConfig.DEFAULT_REBALANCE_HYSTERESIS_MS);
        Map<String, String> out = sticky.apply(desired, streams, current, agents);
        assertThat(out.values().stream().filter("b"::equals).count()).as("one planned move per pass").isEqualTo(1);
        assertThat(out).containsEntry("s1", "b");

        // s1 is now on b (2 on a, 1 on b): the placement now wants s3 on b too, and, in the worst
        // case, s1 back on a. Neither qualifies: the difference is 1.
        current.put("s1", on("b", now.get()));
        Map<String, String> swapped = Map.of("s1", "a", "s2", "a", "s3", "b");
        for (int i = 0; i < 10; i++) {
            now.addAndGet(AssignmentConfig.DEFAULT_REBALANCE_HYSTERESIS_MS);
            assertThat(sticky.apply(swapped, streams, current, agents))
                    .containsEntry("s1", "b").containsEntry("s3", "a");
        }
    }

    @Test
    void aStreamAssignedWithinTheLastMinuteIsNotMovedAgain() {
        Map<String, StreamDefinition> streams = new LinkedHashMap<>();
        Map<String, Assignment> current = new HashMap<>();
        for (String s : List.of("s1", "s2", "s3")) {
            streams.put(s, stream(s, "people"));
            current.put(s, on("a", now.get()));
        }
        List<AgentInfo> agents = List.of(agent("a", false), agent("b", false));
        Map<String, String> desired = Map.of("s1", "b", "s2", "a", "s3", "a");
        now.addAndGet(AssignmentConfig.DEFAULT_REBALANCE_HYSTERESIS_MS);
        current.put("s1", on("a", now.get())); // s1 just failed over to a
        sticky.apply(desired, streams, current, agents);
        now.addAndGet(AssignmentConfig.DEFAULT_REBALANCE_HYSTERESIS_MS - 1);
        assertThat(sticky.apply(desired, streams, current, agents)).containsEntry("s1", "a");
        now.addAndGet(1);
        assertThat(sticky.apply(desired, streams, current, agents)).containsEntry("s1", "b");
    }

    /**
     * The demo's ping-pong: a stateless stream moved off a shedding agent is not moved back when
     * that agent recovers seconds later, only once the hysteresis has passed.
     */
    @Test
    void aStatelessStreamIsNotSentBackToTheAgentItJustLeft() {
        Map<String, StreamDefinition> streams = Map.of("hall", stream("hall", "color"));
        List<AgentInfo> agents = List.of(agent("a", false), agent("b", false));
        Map<String, Assignment> current = new HashMap<>(Map.of("hall", on("a", now.get())));
        // a sheds load: the placement wants hall on b, and it moves at once
        assertThat(sticky.apply(Map.of("hall", "b"), streams, current, agents)).containsEntry("hall", "b");
        current.put("hall", on("b", now.get()));
        // a recovered 10 s later: the placement wants hall back on a; it stays on b, for the hysteresis
        now.addAndGet(10_000);
        assertThat(sticky.apply(Map.of("hall", "a"), streams, current, agents)).containsEntry("hall", "b");
        now.addAndGet(AssignmentConfig.DEFAULT_REBALANCE_HYSTERESIS_MS - 10_001);
        assertThat(sticky.apply(Map.of("hall", "a"), streams, current, agents)).containsEntry("hall", "b");
        // but a third agent, or its new agent draining, moves it at once
        List<AgentInfo> three = List.of(agent("a", false), agent("b", false), agent("c", false));
        assertThat(sticky.apply(Map.of("hall", "c"), streams, current, three)).containsEntry("hall", "c");
        assertThat(sticky.apply(Map.of("hall", "a"), streams, Map.of("hall", on("b", now.get())),
                List.of(agent("a", false), agent("b", true)))).containsEntry("hall", "a");
        // and after the hysteresis it goes back to a as the placement wants
        StickyPlacement fresh = new StickyPlacement(now::get);
        current.put("hall", on("a", now.get()));
        fresh.apply(Map.of("hall", "b"), streams, current, agents);
        current.put("hall", on("b", now.get()));
        now.addAndGet(AssignmentConfig.DEFAULT_REBALANCE_HYSTERESIS_MS);
        assertThat(fresh.apply(Map.of("hall", "a"), streams, current, agents)).containsEntry("hall", "a");
    }
}
