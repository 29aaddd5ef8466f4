package io.argus.app.console.model;

import io.argus.app.console.feed.Feed;
import io.argus.app.console.feed.FeedSnapshot;
import io.argus.app.console.feed.FramePicture;
import io.argus.app.console.feed.SourceSpec;
import io.argus.protocol.v1.Event;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Alerts as states, on the pulse's own clock (no waiting): a stream whose feed retries
 * (offline, starting, offline...) for a minute raises one "offline" and, once it runs again for
 * the clear delay, one "back"; thresholds are the stream's own; watch-list hits on one pattern
 * are one alert; agents lost and back; and the notification gate's limits.
 */
class ConsoleAlertsTest {
    /** A feed whose status the test sets; its picture is as old as {@code captureMs} says. */
    static final class Scripted implements Feed {
        FeedSnapshot snapshot;
        long captureMs;
        int occupancy;
        /** True: the agent stopped answering (the picture keeps its age) while the status still says LIVE. */
        boolean frozen;
        long in;
        String agent = "a1";
        final List<Event> events = new ArrayList<>();

        Scripted(String status) {
            snapshot = snap(status);
        }

        FeedSnapshot snap(String status) {
            return new FeedSnapshot(agent, status, "retrying", 10, 10, 20, 30, 40, 0, 0,
                    Map.of("door", new long[]{in, 0}), Map.of("hall", occupancy), occupancy, 1, false);
        }

        void set(String status) {
            snapshot = snap(status);
        }

        @Override
        public SourceSpec spec() {
            return new SourceSpec("cam", "x", false, List.of());
        }

        @Override
        public @Nullable FramePicture latestLive() {
            return new FramePicture(4, 2, new int[]{1, 2, 3, 4, 5, 6, 7, 8}, List.of(), 1, captureMs * 1000);
        }

        @Override
        public @Nullable FramePicture latestAligned() {
            return latestLive();
        }

        @Override
        public FeedSnapshot refresh() {
            return snapshot;
        }

        @Override
        public List<Event> drainNewEvents() {
            List<Event> out = List.copyOf(events);
            events.clear();
            return out;
        }

        @Override
        public void close() {
        }
    }

    final ConsoleAlerts alerts = new ConsoleAlerts();
    final List<AlertChange> changes = new ArrayList<>();
    final Scripted feed = new Scripted("LIVE");
    final StreamViewModel vm = new StreamViewModel(feed);

    ConsoleAlertsTest() {
        alerts.onChange(changes::add);
    }

    /** One pulse at {@code t}; a running stream's picture is fresh. */
    void pulse(long t, ConsoleSettings.@Nullable Source s) {
        if (!feed.frozen && !feed.snapshot.status().equals("OFFLINE") && !feed.snapshot.status().equals("STARTING")) {
            feed.captureMs = t;
        }
        List<Event> fresh = vm.pulse(t);
        vm.judge(t, Set.of());
        alerts.check(vm, fresh, s, t);
    }

    List<String> changeWords() {
        return changes.stream().map(AlertChange::title).toList();
    }

    @Test
    void aRetryingFeedIsOneOfflineAlertAndOneBack() {
        long t = 1_000_000;
        pulse(t, null);
        for (int i = 0; i < 60; i++) { // a minute of retries, every second another status
            feed.set(i % 2 == 0 ? "OFFLINE" : "STARTING");
            pulse(t += 1000, null);
        }
        assertThat(changeWords()).containsExactly("cam: offline or stalled");
        Alert a = alerts.view().get(0);
        assertThat(a.active()).isTrue();
        assertThat(a.thumbnail()).isNotNull();
        assertThat(a.thumbnail().width()).isEqualTo(4);
        // running again, but for less than the clear delay, then down again: still the same alert
        feed.set("LIVE");
        pulse(t += 1000, null);
        pulse(t += ConsoleAlerts.CLEAR_AFTER_MS - 1500, null);
        feed.set("OFFLINE");
        pulse(t += 1000, null);
        assertThat(changeWords()).containsExactly("cam: offline or stalled");
        // running for the clear delay: one "back", the same alert ended
        feed.set("LIVE");
        pulse(t += 1000, null);
        pulse(t += ConsoleAlerts.CLEAR_AFTER_MS, null);
        pulse(t += 1000, null);
        assertThat(changeWords()).containsExactly("cam: offline or stalled", "cam: back");
        assertThat(alerts.view()).hasSize(1);
        assertThat(a.active()).isFalse();
        assertThat(a.message()).startsWith("cam: back after 1 min");
        assertThat(changes.get(1).alert()).isSameAs(a);
    }

    /**
     * What the demo showed on a loaded machine: an agent answering in bursts, stalled 5 s, running
     * 3 s. Short stalls raise nothing (the tile says stalled); once a stall lasted long enough to be
     * an alert, the bursts between stalls do not end it: one alert, one "back" at the end.
     */
    @Test
    void aStreamStallingInBurstsIsOneAlert() {
        long t = 1_000_000;
        pulse(t, null);
        for (int i = 0; i < 5; i++) {
            t = stallThenRun(t, 5, 3);
        }
        assertThat(changes).isEmpty();
        feed.frozen = true;
        for (int s = 0; s < 14; s++) {
            pulse(t += 1000, null);
        }
        assertThat(changeWords()).containsExactly("cam: offline or stalled");
        assertThat(alerts.view().get(0).message()).startsWith("cam is stalled, last frame ");
        for (int i = 0; i < 8; i++) {
            t = stallThenRun(t, 5, 3);
        }
        assertThat(changeWords()).containsExactly("cam: offline or stalled");
        for (int s = 0; s < 12; s++) {
            pulse(t += 1000, null);
        }
        assertThat(changeWords()).containsExactly("cam: offline or stalled", "cam: back");
    }

    /**
     * A loaded agent's shedding comes and goes (the demo: shedding 10-20 s, then full rate 10-20 s,
     * over and over): one "degraded" alert, and one "recovered" once the stream stayed live for
     * the clear delay.
     */
    @Test
    void sheddingThatComesAndGoesIsOneDegradedAlert() {
        long t = 1_000_000;
        pulse(t, null);
        for (int cycle = 0; cycle < 10; cycle++) {
            feed.set("DEGRADED");
            for (int s = 0; s < 15; s++) {
                pulse(t += 1000, null);
            }
            feed.set("LIVE");
            for (int s = 0; s < 20; s++) {
                pulse(t += 1000, null);
            }
        }
        assertThat(changeWords()).containsExactly("cam: degraded");
        for (int s = 0; s < ConsoleAlerts.DEGRADED_CLEAR_AFTER_MS / 1000; s++) {
            pulse(t += 1000, null);
        }
        assertThat(changeWords()).containsExactly("cam: degraded", "cam: recovered");
        assertThat(alerts.view()).hasSize(1);
    }

    @Test
    void aDegradedAlertNamesTheAgentTheStreamIsOnNowAndWhereItBegan() {
        long t = 1_000_000;
        pulse(t, null);
        feed.set("DEGRADED");
        for (int s = 0; s < 10; s++) {
            pulse(t += 1000, null);
        }
        assertThat(alerts.view()).singleElement().satisfies(a ->
                assertThat(a.messageProperty().get()).isEqualTo("cam is degraded on a1"));
        feed.agent = "a2"; // moved off the shedding agent, still degraded
        feed.set("DEGRADED");
        for (int s = 0; s < 3; s++) {
            pulse(t += 1000, null);
        }
        assertThat(alerts.view()).singleElement().satisfies(a -> {
            assertThat(a.messageProperty().get()).isEqualTo("cam is degraded on a2 (began on a1)");
            assertThat(a.repeatsProperty().get()).isEqualTo(1);
        });
        assertThat(changeWords()).containsExactly("cam: degraded");
    }

    /** Seen in the demo: cam's shedding ended and began again 16-57 s apart, six alerts in 22 minutes. */
    @Test
    void degradedAgainSoonAfterRecoveringReopensTheSameAlert() {
        long t = 1_000_000;
        pulse(t, null);
        t = phase(t, "DEGRADED", 10);
        alerts.acknowledge(alerts.view().get(0));
        t = phase(t, "LIVE", 40);
        assertThat(changeWords()).containsExactly("cam: degraded", "cam: recovered");
        t = phase(t, "DEGRADED", 10); // within ConsoleAlerts.REOPEN_WITHIN_MS of the end
        assertThat(alerts.view()).singleElement().satisfies(a -> {
            assertThat(a.active()).isTrue();
            assertThat(a.acknowledgedProperty().get()).isFalse(); // active again: to be seen again
            assertThat(a.repeatsProperty().get()).isEqualTo(2);
            assertThat(a.messageProperty().get()).startsWith("cam is degraded on a1 (episode 2 since ");
        });
        t = phase(t, "LIVE", 40);
        assertThat(alerts.view().get(0).messageProperty().get()).startsWith("cam: recovered after 3"); // this episode's 3x s
        assertThat(changeWords()).containsExactly("cam: degraded", "cam: recovered", "cam: degraded", "cam: recovered");
        // quiet for longer than the reopen window: a new episode is a new alert
        t = phase(t, "LIVE", (int) (ConsoleAlerts.REOPEN_WITHIN_MS / 1000));
        phase(t, "DEGRADED", 10);
        assertThat(alerts.view()).hasSize(2);
        assertThat(alerts.view().get(0).repeatsProperty().get()).isEqualTo(1);
    }

    long phase(long t, String status, int seconds) {
        feed.set(status);
        for (int s = 0; s < seconds; s++) {
            pulse(t += 1000, null);
        }
        return t;
    }

    long stallThenRun(long t, int stalledS, int runningS) {
        feed.frozen = true;
        for (int s = 0; s < stalledS; s++) {
            pulse(t += 1000, null);
        }
        feed.frozen = false;
        for (int s = 0; s < runningS; s++) {
            pulse(t += 1000, null);
        }
        return t;
    }

    @Test
    void thresholdsAreTheStreamsOwn() {
        ConsoleSettings.Source s = new ConsoleSettings.Source();
        s.name = "cam";
        long t = 1_000_000;
        feed.occupancy = 12;
        feed.set("LIVE");
        pulse(t, s);
        assertThat(changes).isEmpty(); // no limit set: 0 means never
        s.occupancyAlert = 10;
        pulse(t += 1000, s);
        pulse(t += 1000, s);
        assertThat(changeWords()).containsExactly("cam: occupancy over limit");
        assertThat(alerts.view().get(0).message()).isEqualTo("cam: 12 people, over the limit of 10");
        feed.occupancy = 9;
        feed.set("LIVE");
        for (int i = 0; i < 4; i++) {
            pulse(t += 1000, s);
        }
        assertThat(changeWords()).containsExactly("cam: occupancy over limit", "cam: occupancy under limit");

        // 40 crossings within a minute, the limit 30 a minute
        s.crossingRateAlert = 30;
        for (int i = 0; i < 8; i++) {
            feed.in += 5;
            feed.set("LIVE");
            pulse(t += 1000, s);
        }
        assertThat(changeWords()).endsWith("cam: crossing rate over limit");
        assertThat(alerts.view().get(0).message()).contains("over the limit of 30");
        // none for a minute: under the limit again
        for (int i = 0; i < 65; i++) {
            pulse(t += 1000, s);
        }
        assertThat(changeWords()).endsWith("cam: crossing rate under limit");
    }

    @Test
    void watchHitsOnOnePatternAreOneAlertNamingTheStream() {
        long t = 1_000_000;
        for (int i = 0; i < 5; i++) {
            feed.events.add(Event.newBuilder().setType("watch").putAttributes("text", "AB-123")
                    .putAttributes("pattern", "AB-\\d+").build());
            pulse(t += 1000, null);
        }
        feed.events.add(Event.newBuilder().setType("watch").putAttributes("text", "STOP")
                .putAttributes("pattern", "STOP").build());
        pulse(t += 1000, null);
        assertThat(changeWords()).containsExactly("cam: watch-list hit", "cam: watch-list hit");
        Alert plate = alerts.view().get(1);
        assertThat(plate.message()).isEqualTo("cam: watch list \"AB-123\" matches AB-\\d+");
        assertThat(plate.repeatsProperty().get()).isEqualTo(5);
        pulse(t += ConsoleAlerts.WATCH_QUIET_MS, null);
        assertThat(plate.active()).isFalse();
    }

    @Test
    void anAgentLostAndBackAndARemovedStreamsAlertsEnd() {
        alerts.checkAgents(Set.of("a2"), Set.of("a1"), 1000);
        alerts.checkAgents(Set.of("a2"), Set.of("a1"), 2000);
        alerts.checkAgents(Set.of(), Set.of("a1", "a2"), 3000);
        assertThat(changeWords()).containsExactly("agent a2: agent lost", "agent a2: agent back");
        assertThat(alerts.view().get(0).message()).isEqualTo("agent a2 is back");

        feed.set("OFFLINE");
        pulse(4000, null);
        alerts.forgetStreamsOtherThan(Set.of(), 5000);
        assertThat(changeWords()).endsWith("cam: offline or stalled", "cam: back");
        assertThat(alerts.view().get(0).message()).isEqualTo("cam was removed");
    }

    @Test
    void filterGroupsAndAcknowledges() {
        AlertsViewModel view = new AlertsViewModel(alerts);
        alerts.checkAgents(Set.of("a2"), Set.of(), 1000);
        feed.set("OFFLINE");
        pulse(2000, null);
        assertThat(view.shown()).extracting(Alert::group).containsExactly("agent a2", "cam");
        assertThat(view.groups()).containsExactly(AlertsViewModel.ALL, "agent a2", "cam");
        assertThat(view.unacknowledgedProperty().get()).isEqualTo(2);
        view.groupProperty().set("cam");
        assertThat(view.shown()).extracting(Alert::kind).containsExactly("OFFLINE");
        view.acknowledgeShown();
        assertThat(view.unacknowledgedProperty().get()).isEqualTo(1);
        view.groupProperty().set(AlertsViewModel.ALL);
        view.unacknowledgedOnlyProperty().set(true);
        assertThat(view.shown()).extracting(Alert::group).containsExactly("agent a2");
        view.unacknowledgedOnlyProperty().set(false);
        view.kindProperty().set(AlertKind.OFFLINE);
        view.activeOnlyProperty().set(true);
        assertThat(view.shown()).hasSize(1);
        alerts.forgetStreamsOtherThan(Set.of(), 3000); // the offline alert ends: no longer active
        assertThat(view.shown()).isEmpty();
    }

    @Test
    void theGateLimitsNotificationsAndHoldsThemWhileADialogIsOpen() {
        NotificationGate gate = new NotificationGate();
        feed.set("OFFLINE");
        pulse(1000, null);
        AlertChange c = changes.get(0);
        long t = 0;
        for (int i = 0; i < NotificationGate.MAX_SHOWN; i++) {
            assertThat(gate.offer(c, t += 10, false)).isPresent();
        }
        assertThat(gate.offer(c, t += 10, false)).isEmpty();
        assertThat(gate.offer(c, t += 10, false)).isEmpty();
        assertThat(gate.heldBackSummary(t, false)).isEmpty(); // still within the window
        // a dialog is open when the window has passed: still nothing
        t += NotificationGate.WINDOW_MS;
        assertThat(gate.offer(c, t, true)).isEmpty();
        assertThat(gate.heldBackSummary(t, true)).isEmpty();
        // closed: the next one says what was held back
        NotificationGate.Decision d = gate.offer(c, t + 1, false).orElseThrow();
        assertThat(d.heldBack()).isEqualTo(3);
        assertThat(d.text()).contains("+ 3 more alert change(s)");
        assertThat(gate.heldBack()).isZero();
    }
}
