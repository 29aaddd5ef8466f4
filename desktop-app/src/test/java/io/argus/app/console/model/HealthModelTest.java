package io.argus.app.console.model;

import io.argus.app.console.feed.AgentAnswers;
import io.argus.app.console.feed.Feed;
import io.argus.app.console.feed.FeedSnapshot;
import io.argus.app.console.feed.FramePicture;
import io.argus.app.console.feed.SourceSpec;
import io.argus.cluster.AgentInfo;
import io.argus.cluster.AgentLoad;
import io.argus.cluster.AgentPayload;
import io.argus.protocol.v1.Event;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The health model on its own: agents judged from what the streams show, lost agents kept until dismissed. */
class HealthModelTest {
    static AgentInfo agent(String id, long updatedAtMs) {
        return agent(id, 0, updatedAtMs);
    }

    static AgentInfo agent(String id, long startedAtMs, long updatedAtMs) {
        return new AgentInfo(id, new AgentPayload("127.0.0.1", 7000, 0, 1, List.of("people"), 1, 10, AgentLoad.IDLE,
                startedAtMs, updatedAtMs, false, "test"));
    }

    static FeedSnapshot snapshot(String agent, String status, boolean shedding) {
        return new FeedSnapshot(agent, status, "", 10, 10, 20, 30, 40, 0, 0, Map.of(), Map.of(), 0, 1, shedding);
    }

    /** A feed answered by {@code agent} with a fresh frame. */
    static final class Fixed implements Feed {
        volatile FeedSnapshot snapshot;
        volatile long captureMs;

        Fixed(FeedSnapshot s, long captureMs) {
            this.snapshot = s;
            this.captureMs = captureMs;
        }

        @Override
        public SourceSpec spec() {
            return new SourceSpec("cam-" + snapshot.agent(), "x", false, List.of());
        }

        @Override
        public @Nullable FramePicture latestLive() {
            return latestAligned();
        }

        @Override
        public @Nullable FramePicture latestAligned() {
            return new FramePicture(1, 1, new int[1], List.of(), 1, captureMs * 1000);
        }

        @Override
        public FeedSnapshot refresh() {
            return snapshot;
        }

        @Override
        public List<Event> drainNewEvents() {
            return List.of();
        }

        @Override
        public void close() {
        }
    }

    @Test
    void anAgentWhoseStreamShedsIsSheddingEverywhereAndALostAgentStaysUntilDismissed() {
        HealthModel h = new HealthModel();
        AgentAnswers answers = new AgentAnswers(100);
        long t = 1_000_000;
        StreamViewModel shed = new StreamViewModel(new Fixed(snapshot("a1", "DEGRADED", true), t));
        StreamViewModel fine = new StreamViewModel(new Fixed(snapshot("a2", "LIVE", false), t));
        List<StreamViewModel> streams = List.of(shed, fine);
        assertThat(h.membership(t, List.of(agent("a1", t), agent("a2", t)))).isEmpty();
        pulse(h, t, streams, answers);
        assertThat(shed.healthProperty().get()).isEqualTo(StreamHealth.SHEDDING);
        assertThat(fine.healthProperty().get()).isEqualTo(StreamHealth.LIVE);
        assertThat(h.agents()).extracting(HealthModel.AgentHealth::state)
                .containsExactly(HealthModel.AgentState.SHEDDING, HealthModel.AgentState.HEALTHY);
        assertThat(h.summary().text()).isEqualTo("2 stream(s): 2 running (1 shedding) | 2 agent(s): 1 healthy, 1 shedding");

        // a2 leaves: listed as lost at that time, its stream offline, and still so later
        assertThat(h.membership(t + 1000, List.of(agent("a1", t + 1000)))).containsExactly("a2");
        pulse(h, t + 1000, streams, answers);
        pulse(h, t + 60_000, streams, answers);
        assertThat(h.agents()).extracting(HealthModel.AgentHealth::id).containsExactly("a1", "a2");
        HealthModel.AgentHealth lost = h.agents().get(1);
        assertThat(lost.state()).isEqualTo(HealthModel.AgentState.LOST);
        assertThat(lost.sinceMs()).isEqualTo(t + 1000);
        assertThat(fine.healthProperty().get()).isEqualTo(StreamHealth.OFFLINE);
        assertThat(h.summary().lost()).isEqualTo(1);
        assertThat(h.summary().text()).isEqualTo("2 stream(s): 1 running (1 shedding), 1 offline | 2 agent(s): "
                + "0 healthy, 1 unresponsive or draining, 1 lost"); // a1 has not refreshed its entry for 59 s

        // it returns: healthy again
        h.membership(t + 61_000, List.of(agent("a1", t + 61_000), agent("a2", t + 61_000)));
        pulse(h, t + 61_000, streams, answers);
        assertThat(h.agents().get(1).state()).isEqualTo(HealthModel.AgentState.HEALTHY);
        // leaves again, and the operator dismisses it; a present agent cannot be dismissed
        h.membership(t + 62_000, List.of(agent("a1", t + 62_000)));
        assertThat(h.dismiss("a1")).isFalse();
        assertThat(h.dismiss("a2")).isTrue();
        pulse(h, t + 62_000, streams, answers);
        assertThat(h.agents()).extracting(HealthModel.AgentHealth::id).containsExactly("a1");
        // an agent whose entry is not refreshed is unresponsive before ZooKeeper drops it
        pulse(h, t + 62_000 + HealthModel.DEFAULT_SILENT_AFTER_MS + 1, streams, answers);
        assertThat(h.agents().get(0).state()).isEqualTo(HealthModel.AgentState.UNRESPONSIVE);
    }

    static void pulse(HealthModel h, long now, List<StreamViewModel> streams, AgentAnswers answers) {
        for (StreamViewModel vm : streams) {
            ((Fixed) vm.feed()).captureMs = now;
            vm.pulse(now);
            vm.judge(now, Set.copyOf(h.lostAgents()));
        }
        h.judge(now, streams, Map.of(), answers);
    }

    /** Seen on the screen: both agents frozen, every tile said "moving" for 9 s and the status bar counted none. */
    @Test
    void aMoveThatNeverCompletesIsStalledAndEveryStreamIsCountedOnce() {
        long stall = StreamHealth.DEFAULT_STALL_AFTER_MS;
        assertThat(StreamHealth.of(snapshot("a1", "MOVING", false), 100, false)).isEqualTo(StreamHealth.MOVING);
        assertThat(StreamHealth.of(snapshot("a1", "MOVING", false), stall + 1, false)).isEqualTo(StreamHealth.STALLED);
        assertThat(StreamHealth.of(snapshot("a1", "MOVING", false), 100, true)).isEqualTo(StreamHealth.OFFLINE);
        assertThat(StreamHealth.of(snapshot("a1", "STARTING", false), stall + 1, false)).isEqualTo(StreamHealth.STALLED);
        assertThat(StreamHealth.of(snapshot("a1", "LIVE", true), 100, false)).isEqualTo(StreamHealth.SHEDDING);

        HealthModel h = new HealthModel();
        long t = 5_000_000;
        Fixed moving = new Fixed(snapshot("a1", "MOVING", false), t);
        Fixed stalled = new Fixed(snapshot("a1", "MOVING", false), t - stall - 1000);
        Fixed live = new Fixed(snapshot("a2", "LIVE", false), t);
        Fixed ended = new Fixed(snapshot("a2", "ENDED", false), t);
        List<StreamViewModel> streams = List.of(new StreamViewModel(moving), new StreamViewModel(stalled),
                new StreamViewModel(live), new StreamViewModel(ended));
        h.membership(t, List.of(agent("a1", t), agent("a2", t)));
        for (StreamViewModel vm : streams) {
            vm.pulse(t);
            vm.judge(t, Set.of());
        }
        h.judge(t, streams, Map.of(), new AgentAnswers());
        HealthModel.Summary s = h.summary();
        assertThat(s.text()).startsWith("4 stream(s): 1 running, 1 starting or moving, 1 stalled, 1 offline | 2 agent(s): 2 healthy");
        assertThat(s.running() + s.starting() + s.stalled() + s.offline()).isEqualTo(s.streams());
    }

    /** Seen in the demo run: a killed and restarted agent's row showed the dead process's latency for a minute. */
    @Test
    void anAgentRestartedUnderTheSameIdStartsWithNoFiguresOfTheOldProcess() {
        HealthModel h = new HealthModel();
        AgentAnswers answers = new AgentAnswers(100);
        long t = 1_000_000;
        h.membership(t, List.of(agent("a1", 10, t), agent("a2", 10, t)));
        answers.record("a1", 900_000, true);
        answers.record("a2", 20_000, false);
        pulse(h, t, List.of(), answers);
        assertThat(h.agents().get(0).answers().p99Ms()).isNaN(); // every answer of a1 was shed
        assertThat(h.agents().get(0).answers().shedRate()).isEqualTo(1.0);
        // a1 killed and back as a new process (a new start time); a2 unchanged
        h.membership(t + 1000, List.of(agent("a2", 10, t + 1000)));
        pulse(h, t + 1000, List.of(), answers);
        h.membership(t + 5000, List.of(agent("a1", t + 4000, t + 5000), agent("a2", 10, t + 5000)));
        pulse(h, t + 5000, List.of(), answers);
        assertThat(h.agents().get(0).state()).isEqualTo(HealthModel.AgentState.HEALTHY);
        assertThat(h.agents().get(0).answers()).isEqualTo(AgentAnswers.Figures.NONE);
        assertThat(h.agents().get(1).answers().p50Ms()).isEqualTo(20);
        // a refresh of the same process keeps what was measured
        answers.record("a1", 30_000, false);
        h.membership(t + 7000, List.of(agent("a1", t + 4000, t + 7000), agent("a2", 10, t + 7000)));
        pulse(h, t + 7000, List.of(), answers);
        assertThat(h.agents().get(0).answers().p50Ms()).isEqualTo(30);
    }

    /** Seen in the demo run: "0%" in the load column while the agent's payload said CPU 0.53. */
    @Test
    void theLoadColumnShowsCpuBesideTheQueue() {
        assertThat(ClusterViewModel.load(new AgentLoad(0, 1, 12.5, 0.53, 2, 0.25)))
                .isEqualTo("CPU 53%  busy 25%  12.5 fps  queue 0");
        assertThat(ClusterViewModel.load(new AgentLoad(3, 5, 0, -1, 0, 1.25))).startsWith("CPU –  busy 125%");
    }

    @Test
    void percentilesAndShedRateAreOverTheLastAnswersOnly() {
        AgentAnswers a = new AgentAnswers(100);
        for (int i = 1; i <= 100; i++) {
            a.record("x", i * 1000L, false); // 1..100 ms
        }
        assertThat(a.figures("x").p50Ms()).isEqualTo(50);
        assertThat(a.figures("x").p99Ms()).isEqualTo(99);
        assertThat(a.figures("x").shedRate()).isZero();
        // 100 slow answers, a quarter of them shed, push the old ones out of the window
        for (int i = 0; i < 100; i++) {
            a.record("x", 500_000, i % 4 == 0);
        }
        assertThat(a.figures("x").answers()).isEqualTo(100);
        assertThat(a.figures("x").p50Ms()).isEqualTo(500);
        assertThat(a.figures("x").shedRate()).isEqualTo(0.25);
        assertThat(a.figures("nobody")).isEqualTo(AgentAnswers.Figures.NONE);
    }
}
