package io.argus.app.console.model;

import io.argus.protocol.v1.Event;
import javafx.beans.Observable;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The console's alerts as states: each condition (a stream down, degraded, over its occupancy or
 * crossing-rate limit, a watch-list hit, an agent lost) opens one {@link Alert} when it begins and
 * ends that same alert when it is over, so an operator sees one "offline" and one "back" per
 * event, however often the feed retries in between. Conditions are debounced on the pulse's clock:
 * a condition must hold for its raise delay before it opens an alert and be gone for its clear
 * delay before the alert ends, so a stream flickering between states does not flood the list.
 * Newest first, at most {@link #MAX_ALERTS} (ended ones are dropped first). JavaFX thread only.
 */
final class ConsoleAlerts {
    static final int MAX_ALERTS = 1000;
    /**
     * A stream must run this long before it counts as back: a retry that fails again, or a loaded
     * agent that answers in bursts between stalls (seen in the demo on a busy machine: stalled 5 s,
     * running 3 s, over and over), is one outage, not an "offline" and a "back" every 8 s.
     */
    static final long CLEAR_AFTER_MS = 10_000;
    /**
     * A stall (no answered frame for {@link StreamHealth#DEFAULT_STALL_AFTER_MS}) becomes an alert
     * when it lasts this long; the tile says "stalled" at once. Offline or ended is an alert at once.
     */
    static final long STALL_ALERT_AFTER_MS = 10_000;
    /** A count must stay at or under its limit this long before its alert ends. */
    static final long THRESHOLD_CLEAR_AFTER_MS = 3_000;
    /** Shedding or degraded this long before it is an alert: a burst that the agent absorbs is not. */
    static final long DEGRADED_AFTER_MS = 5_000;
    /**
     * Live this long before a degraded stream counts as recovered: six of the client's recovery
     * periods ({@code ThinningConfig.DEFAULT_RECOVER_MS}, 5 s), twice the three it takes to come
     * back from the largest stride to every frame. On a loaded agent shedding comes and goes every
     * 10-40 s (seen in the 30-minute demo run: 58 alerts in 25 minutes with a 5 s delay, most of
     * them "recovered after 11 s"); that is one episode, not an alert and a recovery each time.
     */
    static final long DEGRADED_CLEAR_AFTER_MS = 30_000;
    /**
     * A degraded alert that begins again this soon after it ended is the same alert, reopened:
     * one load episode with pauses, not a new alert each time. Four of its clear delays: in the
     * 30-minute demo on a loaded machine, cam's shedding ended and began again 16-57 s apart, six
     * alerts in 22 minutes.
     */
    static final long REOPEN_WITHIN_MS = 4 * DEGRADED_CLEAR_AFTER_MS;
    /** A watch-list alert ends when its pattern has not matched for this long. */
    static final long WATCH_QUIET_MS = 30_000;

    // the extractor makes a filtered view re-test an alert when it ends or is acknowledged
    private final ObservableList<Alert> alerts = FXCollections.observableArrayList(
            a -> new Observable[]{a.endMsProperty(), a.acknowledgedProperty()});
    // one read-only view: JavaFX's unmodifiable wrappers listen weakly, a fresh wrapper per call
    // would be collected together with the listeners added to it
    private final ObservableList<Alert> alertsView = FXCollections.unmodifiableObservableList(alerts);
    private final List<Consumer<AlertChange>> listeners = new ArrayList<>();
    /** The alert open for each condition (kind, stream, subject). */
    private final Map<String, Alert> open = new HashMap<>();
    /** Per condition, the value it has had since when: what the raise and clear delays measure. */
    private final Map<String, Streak> streaks = new HashMap<>();
    private final Map<String, Long> lastWatchHit = new HashMap<>();
    /** Per open degraded alert, the agent its stream was on when it began. */
    private final Map<Alert, String> beganOn = new HashMap<>();
    /** Per condition, its degraded alert that ended last: reopened if the condition is back soon. */
    private final Map<String, Alert> lastEnded = new HashMap<>();
    /** Per reopened alert, when its current episode began (the alert's own start is the first one's). */
    private final Map<Alert, Long> episodeStart = new HashMap<>();
    private long nextId = 1;

    private record Streak(boolean value, long sinceMs) {
    }

    ObservableList<Alert> view() {
        return alertsView;
    }

    void onChange(Consumer<AlertChange> l) {
        listeners.add(l);
    }

    void acknowledge(Alert a) {
        a.acknowledge();
    }

    /**
     * One stream's conditions at a pulse: {@code fresh} are its events since the last pulse, {@code s}
     * its saved source (null for none), which holds its thresholds.
     */
    void check(StreamViewModel vm, List<Event> fresh, ConsoleSettings.@Nullable Source s, long nowMs) {
        String name = vm.getName();
        StreamHealth h = vm.healthProperty().get();
        Supplier<@Nullable Thumbnail> thumb = () -> {
            var p = vm.picture(false);
            return p == null ? null : Thumbnail.of(p);
        };
        // down: offline, stalled or ended; back only once it runs again (starting or moving says neither)
        Boolean down = (h == StreamHealth.OFFLINE || h == StreamHealth.STALLED || h == StreamHealth.ENDED)
                ? Boolean.TRUE : h.running() ? Boolean.FALSE : null;
        long raiseAfter = h == StreamHealth.STALLED ? STALL_ALERT_AFTER_MS : 0;
        observe(AlertKind.OFFLINE, name, name, down, nowMs, raiseAfter, CLEAR_AFTER_MS,
                // the badge says "STALLED  last frame 7 s ago": the words after the state
                () -> name + " is " + h.word() + ", " + vm.healthBadgeProperty().get().replaceFirst("^[A-Z]+\\s+", ""),
                thumb);
        Boolean degraded = (h == StreamHealth.SHEDDING || h == StreamHealth.DEGRADED) ? Boolean.TRUE
                : h == StreamHealth.LIVE ? Boolean.FALSE : null;
        String agent = vm.agentProperty().get();
        observe(AlertKind.DEGRADED, name, name, degraded, nowMs, DEGRADED_AFTER_MS, DEGRADED_CLEAR_AFTER_MS,
                () -> degradedMessage(name, h, agent, agent), thumb);
        followTheAgent(open.get(key(AlertKind.DEGRADED, name, name)), degraded, name, h, agent);
        int occupancyLimit = s == null ? 0 : s.occupancyAlert;
        int occ = vm.occupancyProperty().get();
        // a stream that does not run has no current occupancy: its last figure neither raises nor clears
        observe(AlertKind.OCCUPANCY, name, name, occupancyLimit <= 0 ? Boolean.FALSE
                        : h.running() ? Boolean.valueOf(occ > occupancyLimit) : null, nowMs, 0, THRESHOLD_CLEAR_AFTER_MS,
                () -> name + ": " + occ + " people, over the limit of " + occupancyLimit, thumb);
        int rateLimit = s == null ? 0 : s.crossingRateAlert;
        long rate = vm.crossingsInLastMinute(nowMs);
        observe(AlertKind.CROSSING_RATE, name, name, rateLimit <= 0 ? Boolean.FALSE : Boolean.valueOf(rate > rateLimit),
                nowMs, 0, THRESHOLD_CLEAR_AFTER_MS,
                () -> name + ": " + rate + " crossings in the last minute, over the limit of " + rateLimit, thumb);
        for (Event e : fresh) {
            if (e.getType().equals("watch")) {
                watchHit(name, e.getAttributesMap().getOrDefault("pattern", ""),
                        e.getAttributesMap().getOrDefault("text", ""), nowMs, thumb);
            }
        }
        for (Alert a : List.copyOf(open.values())) {
            if (a.type() == AlertKind.WATCH && a.stream().equals(name)
                    && nowMs - lastWatchHit.getOrDefault(key(AlertKind.WATCH, name, a.subject()), nowMs) >= WATCH_QUIET_MS) {
                close(a, nowMs, name + ": no match for " + a.subject() + " in the last " + WATCH_QUIET_MS / 1000 + " s");
            }
        }
    }

    /**
     * A degraded alert names the agent the stream is on now, and the one it began on if it moved
     * (a shedding agent's streams are moved off it): in the demo run the alert kept naming the agent
     * the stream had left a minute before.
     */
    private void followTheAgent(@Nullable Alert a, @Nullable Boolean degraded, String name, StreamHealth h, String agent) {
        if (a == null || !Boolean.TRUE.equals(degraded) || agent.isEmpty()) {
            return;
        }
        String began = beganOn.computeIfAbsent(a, x -> agent);
        String msg = degradedMessage(name, h, agent, began) + (a.repeatsProperty().get() > 1
                ? " (episode " + a.repeatsProperty().get() + " since " + clock(a.startMs()) + ")" : "");
        if (!msg.equals(a.messageProperty().get())) {
            a.describe(msg);
        }
    }

    /** "cam is shedding on agent-2 (began on agent-1)": agent ids read as themselves ("on agent agent-2" did not). */
    private static String degradedMessage(String name, StreamHealth h, String agent, String began) {
        return name + " is " + h.word() + " on " + agent + (agent.equals(began) ? "" : " (began on " + began + ")");
    }

    private void watchHit(String stream, String pattern, String text, long nowMs, Supplier<@Nullable Thumbnail> thumb) {
        String k = key(AlertKind.WATCH, stream, pattern);
        lastWatchHit.put(k, nowMs);
        String msg = stream + ": watch list \"" + text + "\" matches " + pattern;
        Alert a = open.get(k);
        if (a != null) {
            a.repeat(msg); // the same pattern on the same stream again: the same alert, counted
        } else {
            raise(k, AlertKind.WATCH, stream, pattern, nowMs, msg, thumb.get());
        }
    }

    /**
     * The agents' conditions: {@code lost} are the agents listed as lost, {@code present} those in
     * the cluster now (an agent no longer lost is back if present, else it was dismissed).
     */
    void checkAgents(Collection<String> lost, Set<String> present, long nowMs) {
        for (String id : lost) {
            observe(AlertKind.AGENT_LOST, "", id, Boolean.TRUE, nowMs, 0, 0, () -> "agent " + id + " left the cluster",
                    () -> null);
        }
        for (Alert a : List.copyOf(open.values())) {
            if (a.type() == AlertKind.AGENT_LOST && !lost.contains(a.subject())) {
                streaks.remove(key(AlertKind.AGENT_LOST, "", a.subject()));
                close(a, nowMs, present.contains(a.subject()) ? "agent " + a.subject() + " is back"
                        : "agent " + a.subject() + " dismissed");
            }
        }
    }

    /** Ends the alerts of streams that are gone (removed by the operator): nothing will end them otherwise. */
    void forgetStreamsOtherThan(Set<String> streams, long nowMs) {
        for (Alert a : List.copyOf(open.values())) {
            if (!a.stream().isEmpty() && !streams.contains(a.stream())) {
                close(a, nowMs, a.stream() + " was removed");
            }
        }
        streaks.keySet().removeIf(k -> {
            String stream = k.split("\u0000", -1)[1];
            return !stream.isEmpty() && !streams.contains(stream);
        });
        lastEnded.values().removeIf(a -> !streams.contains(a.stream()));
    }

    private void observe(AlertKind kind, String stream, String subject, @Nullable Boolean condition, long nowMs,
                         long raiseAfterMs, long clearAfterMs, Supplier<String> message,
                         Supplier<@Nullable Thumbnail> thumb) {
        if (condition == null) {
            return; // neither raises nor clears; the streak carries on
        }
        String k = key(kind, stream, subject);
        Streak st = streaks.get(k);
        if (st == null || st.value() != condition) {
            st = new Streak(condition, nowMs);
            streaks.put(k, st);
        }
        long held = nowMs - st.sinceMs();
        Alert a = open.get(k);
        if (condition && a == null && held >= raiseAfterMs) {
            Alert before = lastEnded.remove(k);
            if (before != null && nowMs - before.endMsProperty().get() <= REOPEN_WITHIN_MS && alerts.contains(before)) {
                reopen(k, before, nowMs, message.get());
            } else {
                raise(k, kind, stream, subject, nowMs, message.get(), thumb.get());
            }
        } else if (!condition && a != null && held >= clearAfterMs) {
            long since = episodeStart.getOrDefault(a, a.startMs());
            close(a, nowMs, (stream.isEmpty() ? subject : stream) + ": " + kind.ended() + " after "
                    + duration(nowMs - since) + (a.repeatsProperty().get() > 1
                    ? " (episode " + a.repeatsProperty().get() + " since " + clock(a.startMs()) + ")" : ""));
            if (kind == AlertKind.DEGRADED) {
                lastEnded.put(k, a);
            }
        }
    }

    private void raise(String k, AlertKind kind, String stream, String subject, long nowMs, String message,
                       @Nullable Thumbnail thumbnail) {
        Alert a = new Alert(nextId++, kind, stream, subject, nowMs, message, thumbnail);
        open.put(k, a);
        alerts.add(0, a);
        trim();
        AlertChange c = new AlertChange(a, true);
        listeners.forEach(l -> l.accept(c));
    }

    private void reopen(String k, Alert a, long nowMs, String message) {
        a.reopen(message);
        open.put(k, a);
        episodeStart.put(a, nowMs);
        alerts.remove(a);
        alerts.add(0, a); // newest first: it is active again
        AlertChange c = new AlertChange(a, true);
        listeners.forEach(l -> l.accept(c));
    }

    private void close(Alert a, long nowMs, String why) {
        open.values().remove(a);
        beganOn.remove(a);
        episodeStart.remove(a);
        a.end(nowMs, why);
        AlertChange c = new AlertChange(a, false);
        listeners.forEach(l -> l.accept(c));
    }

    private void trim() {
        // the oldest ended alerts go first: an alert that still lasts must stay where it can be acknowledged
        for (int i = alerts.size() - 1; i >= 0 && alerts.size() > MAX_ALERTS; i--) {
            if (!alerts.get(i).active()) {
                alerts.remove(i);
            }
        }
    }

    private static String key(AlertKind kind, String stream, String subject) {
        return kind + "\u0000" + stream + "\u0000" + subject;
    }

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

    static String clock(long epochMs) {
        return CLOCK.format(Instant.ofEpochMilli(epochMs));
    }

    static String duration(long ms) {
        long s = Math.max(0, ms / 1000);
        return s < 60 ? s + " s" : s < 3600 ? s / 60 + " min " + s % 60 + " s" : s / 3600 + " h " + s % 3600 / 60 + " min";
    }
}
