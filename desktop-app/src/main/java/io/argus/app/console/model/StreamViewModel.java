package io.argus.app.console.model;

import io.argus.app.console.feed.FramePicture;
import io.argus.app.console.feed.FeedSnapshot;
import io.argus.app.console.feed.Feed;
import io.argus.protocol.Envelopes;
import io.argus.protocol.v1.Event;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.jspecify.annotations.Nullable;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What the console shows of one stream. Read-only properties, updated on the JavaFX thread once per
 * pulse from the feed's snapshot; views bind to them and never see the network or OpenCV.
 */
public final class StreamViewModel {
    /** Samples of the counts chart: one per second, ten minutes. */
    static final int MAX_SAMPLES = 600;

    public record CountSample(long timeMs, long in, long out, int occupancy) {
    }

    private final Feed feed;
    private final ReadOnlyStringWrapper name = new ReadOnlyStringWrapper();
    private final ReadOnlyStringWrapper agent = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper("STARTING");
    private final ReadOnlyStringWrapper badge = new ReadOnlyStringWrapper("starting");
    private final ReadOnlyStringWrapper stats = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper counts = new ReadOnlyStringWrapper("");
    private final ReadOnlyIntegerWrapper occupancy = new ReadOnlyIntegerWrapper();
    private final ReadOnlyBooleanWrapper freshEvent = new ReadOnlyBooleanWrapper();
    private final ReadOnlyObjectWrapper<StreamHealth> health = new ReadOnlyObjectWrapper<>(StreamHealth.STARTING);
    private final ReadOnlyStringWrapper healthBadge = new ReadOnlyStringWrapper("");
    private final long createdMs = System.currentTimeMillis();
    private final ObservableList<Event> events = FXCollections.observableArrayList();
    private final ObservableList<CountSample> samples = FXCollections.observableArrayList();
    private final ObservableList<Event> eventsView = FXCollections.unmodifiableObservableList(events);
    private final ObservableList<CountSample> samplesView = FXCollections.unmodifiableObservableList(samples);
    private FeedSnapshot last = FeedSnapshot.STARTING;
    /** Capture to the moment its picture and overlays were put on screen, in microseconds. */
    private final Recorder overlayLatency = new Recorder(3_600_000_000L, 2);
    /** The same, for the stream's own statistics: the last two seconds or so. */
    private final Recorder screenLatency = new Recorder(3_600_000_000L, 2);
    private Histogram screenWindow = new Histogram(3_600_000_000L, 2);
    private long lastWindowMs;
    private long lastSampleMs;
    private long lastEventMs;

    /** A view model over a feed the caller owns (the console model makes one per source). */
    public StreamViewModel(Feed feed) {
        this.feed = feed;
        name.set(feed.spec().name());
    }

    /** Pulls the feed's state; returns the events that arrived since the last pulse. */
    List<Event> pulse(long nowMs) {
        FeedSnapshot s = feed.refresh();
        last = s;
        agent.set(s.agent());
        status.set(s.status());
        badge.set(switch (s.status()) {
            case "LIVE" -> String.format("%s  %.0f fps  %.0f ms", s.agent(), s.fpsOut(), s.p50Ms());
            case "MOVING" -> s.detail();
            default -> s.status().toLowerCase(Locale.ROOT) + ": " + s.detail();
        });
        if (nowMs - lastWindowMs >= 2000) {
            lastWindowMs = nowMs;
            Histogram w = screenLatency.getIntervalHistogram();
            if (w.getTotalCount() > 0) {
                screenWindow = w;
            }
        }
        // what the operator waits for: capture to the picture on screen with its overlays; without
        // a picture shown yet (no tile visible) the figure is capture to result
        boolean onScreen = screenWindow.getTotalCount() > 0;
        stats.set(String.format("in %.1f fps, out %.1f fps, latency (capture to %s) p50 %.0f / p95 %.0f / p99 %.0f ms, "
                        + "dropped %d, failed %d", s.fpsIn(), s.fpsOut(), onScreen ? "screen" : "result",
                onScreen ? screenWindow.getValueAtPercentile(50) / 1000.0 : s.p50Ms(),
                onScreen ? screenWindow.getValueAtPercentile(95) / 1000.0 : s.p95Ms(),
                onScreen ? screenWindow.getValueAtPercentile(99) / 1000.0 : s.p99Ms(), s.dropped(), s.failed()));
        StringBuilder c = new StringBuilder();
        long in = 0;
        long out = 0;
        for (Map.Entry<String, long[]> e : s.lines().entrySet()) {
            c.append(e.getKey()).append(": in ").append(e.getValue()[0]).append(" out ").append(e.getValue()[1]).append("  ");
            in += e.getValue()[0];
            out += e.getValue()[1];
        }
        int occ = s.zones().isEmpty() ? s.visible() : s.zones().values().stream().mapToInt(Integer::intValue).sum();
        for (Map.Entry<String, Integer> z : s.zones().entrySet()) {
            c.append(z.getKey()).append(": ").append(z.getValue()).append(" inside  ");
        }
        counts.set(c.toString().trim());
        occupancy.set(occ);
        if (nowMs - lastSampleMs >= 1000) {
            lastSampleMs = nowMs;
            samples.add(new CountSample(nowMs, in, out, occ));
            if (samples.size() > MAX_SAMPLES) {
                samples.remove(0, samples.size() - MAX_SAMPLES);
            }
        }
        List<Event> fresh = feed.drainNewEvents();
        if (!fresh.isEmpty()) {
            List<Event> newestFirst = new ArrayList<>(fresh);
            Collections.reverse(newestFirst);
            events.addAll(0, newestFirst);
            if (events.size() > 500) {
                events.remove(500, events.size());
            }
            lastEventMs = nowMs;
        }
        freshEvent.set(nowMs - lastEventMs < 3000 && lastEventMs > 0);
        return fresh;
    }

    /**
     * Line crossings (in and out, all lines) over the last minute of samples, 0 with fewer than two
     * samples; a count that went down (the stream was restarted) counts as 0, not as negative.
     */
    long crossingsInLastMinute(long nowMs) {
        if (samples.size() < 2) {
            return 0;
        }
        CountSample last = samples.get(samples.size() - 1);
        CountSample first = last;
        for (int i = samples.size() - 1; i >= 0 && samples.get(i).timeMs() >= nowMs - 60_000; i--) {
            first = samples.get(i);
        }
        return Math.max(0, last.in() + last.out() - first.in() - first.out());
    }

    /**
     * Decides the stream's health (after {@link #pulse}) with {@link StreamHealth#of}: the feed's
     * figures, the age of the last answered frame, and whether its agent was lost.
     */
    void judge(long nowMs, Set<String> lostAgents) {
        FramePicture p = feed.latestAligned();
        long ageMs = p == null ? -1 : Math.max(0, nowMs - p.captureUs() / 1000);
        // before the first frame, a stream that never answers stalls too (counted from its start)
        long judged = p == null ? nowMs - createdMs : ageMs;
        StreamHealth h = StreamHealth.of(last, judged, lostAgents.contains(last.agent()));
        health.set(h);
        String age = ageMs < 0 ? "no frame yet" : "last frame " + ageMs / 1000 + " s ago";
        healthBadge.set(switch (h) {
            case STALLED, OFFLINE, ENDED -> h.word().toUpperCase(Locale.ROOT) + "  " + age
                    + (lostAgents.contains(last.agent()) ? "  (agent " + last.agent() + " lost)" : "");
            case SHEDDING -> "SHEDDING  " + last.agent() + " drops frames";
            default -> "";
        });
    }

    /** A view has just shown a picture captured at {@code captureUs} (JavaFX thread). */
    public void pictureShown(long captureUs) {
        long us = Envelopes.nowMicros() - captureUs;
        long v = Math.max(0, Math.min(us, 3_600_000_000L));
        overlayLatency.recordValue(v);
        screenLatency.recordValue(v);
    }

    /** Capture-to-screen latencies recorded since the last call. */
    public Histogram overlayLatencySinceLastCall() {
        return overlayLatency.getIntervalHistogram();
    }

    public @Nullable FramePicture picture(boolean aligned) {
        return aligned ? feed.latestAligned() : feed.latestLive();
    }

    public FeedSnapshot snapshot() {
        return last;
    }

    public Feed feed() {
        return feed;
    }

    public ReadOnlyStringProperty nameProperty() {
        return name.getReadOnlyProperty();
    }

    public String getName() {
        return name.get();
    }

    public ReadOnlyStringProperty agentProperty() {
        return agent.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty badgeProperty() {
        return badge.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<StreamHealth> healthProperty() {
        return health.getReadOnlyProperty();
    }

    /** The tile's trouble badge: empty when live, else the state and the age of the last frame. */
    public ReadOnlyStringProperty healthBadgeProperty() {
        return healthBadge.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty statsProperty() {
        return stats.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty countsProperty() {
        return counts.getReadOnlyProperty();
    }

    public ReadOnlyIntegerProperty occupancyProperty() {
        return occupancy.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty freshEventProperty() {
        return freshEvent.getReadOnlyProperty();
    }

    public ObservableList<Event> events() {
        return eventsView;
    }

    public ObservableList<CountSample> samples() {
        return samplesView;
    }
}
