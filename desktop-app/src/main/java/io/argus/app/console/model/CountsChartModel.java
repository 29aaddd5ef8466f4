package io.argus.app.console.model;

import io.argus.cluster.api.CoordinatorApi;
import io.argus.protocol.v1.Event;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.jspecify.annotations.Nullable;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Detail's counts chart: one stream's line crossings per line and direction and zone entries and
 * exits per zone, per bucket (not cumulative), over a {@link CountsRange}. With a coordinator in the
 * cluster they are its history, read through its gateway on a thread of this model's own; without
 * one, or when it does not answer, they are the events this console holds for the stream, and the
 * title says so. The window is read again every {@link CountsRange#refreshMs} while {@link #pulse}
 * is called (Detail calls it only while shown), at most one read at a time; an answer for a stream
 * or range no longer shown is dropped. Properties change on the JavaFX thread ({@code ui}).
 */
public final class CountsChartModel implements AutoCloseable {
    /** One chart line: a point per bucket of the window, zeros included. */
    public record Series(String name, List<Point> points) {
    }

    /** A bucket's start (epoch ms) and the crossings, entries or exits in it. */
    public record Point(long startMs, long count) {
    }

    private final CoordinatorApi api;
    private final Supplier<Optional<String>> coordinator;
    private final Executor ui;
    private final LongSupplier clock;
    private final ExecutorService reader = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "argus-console-counts");
        t.setDaemon(true);
        return t;
    });
    private final ReadOnlyObjectWrapper<CountsRange> range = new ReadOnlyObjectWrapper<>(CountsRange.LAST_HOUR);
    private final ObservableList<Series> series = FXCollections.observableArrayList();
    private final ObservableList<Series> seriesView = FXCollections.unmodifiableObservableList(series);
    private final ReadOnlyStringWrapper title = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper totals = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper fromCoordinator = new ReadOnlyBooleanWrapper();
    private final ReadOnlyLongWrapper startMs = new ReadOnlyLongWrapper();
    private final ReadOnlyLongWrapper endMs = new ReadOnlyLongWrapper();
    private @Nullable String stream;
    private List<Event> liveEvents = List.of();
    private Supplier<String> liveTotals = () -> "";
    /** Bumped whenever the stream or the range changes: answers carry the one they were asked for. */
    private long generation;
    /** The generation whose read has not answered yet, or -1. */
    private long reading = -1;
    private long lastReadMs;

    /**
     * @param coordinator the HTTP base of a coordinator of the cluster, if it has one (read on the
     *                    JavaFX thread: must not block)
     * @param ui          runs on the JavaFX thread ({@code Platform::runLater})
     */
    CountsChartModel(CoordinatorApi api, Supplier<Optional<String>> coordinator, Executor ui, LongSupplier clock) {
        this.api = api;
        this.coordinator = coordinator;
        this.ui = ui;
        this.clock = clock;
    }

    /** Charts {@code vm} (null: nothing), reading it at once. */
    public void show(@Nullable StreamViewModel vm) {
        if (vm == null) {
            show(null, List.of(), () -> "");
        } else {
            show(vm.getName(), vm.events(), vm.countsProperty()::get);
        }
    }

    /**
     * Charts {@code name}: its history from the coordinator, or else {@code events} (the console's
     * own, read at each refresh); {@code counts} are the console's cumulative figures, shown as
     * totals without a coordinator.
     */
    void show(@Nullable String name, List<Event> events, Supplier<String> counts) {
        stream = name;
        liveEvents = events;
        liveTotals = counts;
        restart();
    }

    public void setRange(CountsRange r) {
        if (r != range.get()) {
            range.set(r);
            restart();
        }
    }

    private void restart() {
        generation++;
        series.clear();
        totals.set("");
        title.set(stream == null ? "" : heading(range.get()));
        refresh();
    }

    /** Reads the window again when a refresh is due (JavaFX thread, once per frame is fine). */
    public void pulse() {
        if (stream != null && clock.getAsLong() - lastReadMs >= range.get().refreshMs()) {
            refresh();
        }
    }

    private void refresh() {
        String name = stream;
        if (name == null) {
            return;
        }
        long now = clock.getAsLong();
        lastReadMs = now;
        CountsRange r = range.get();
        long start = r.startMs(now);
        long end = r.endMs(now);
        Optional<String> base = coordinator.get();
        if (base.isEmpty()) {
            showLive(r, start, end, "no coordinator");
            return;
        }
        if (reading == generation) {
            return; // the last read of what is shown has not answered: no second one behind it
        }
        long asked = generation;
        reading = asked;
        if (series.isEmpty()) {
            title.set(heading(r) + ", reading the coordinator's history");
        }
        reader.execute(() -> {
            try {
                CountsWindow w = CountsWindow.fromCoordinator(api, base.get(), name, r, start, end);
                ui.execute(() -> answered(asked, r, w, null));
            } catch (IOException | RuntimeException e) {
                ui.execute(() -> answered(asked, r, CountsWindow.fromEvents(List.of(), r, start, end),
                        e.getMessage() == null ? e.toString() : e.getMessage()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // closing
            }
        });
    }

    private void answered(long asked, CountsRange r, CountsWindow w, @Nullable String failure) {
        if (reading == asked) {
            reading = -1;
        }
        if (asked != generation) {
            return; // asked for a stream or range no longer shown
        }
        if (failure != null) {
            showLive(r, w.startMs(), w.endMs(), "the coordinator did not answer (" + failure + ")");
            return;
        }
        apply(w);
        fromCoordinator.set(true);
        title.set(heading(r) + ", from the coordinator's history");
        totals.set("all-time totals (coordinator): " + (w.totals().isEmpty() ? "none"
                : w.totals().entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", "))));
    }

    private void showLive(CountsRange r, long start, long end, String why) {
        apply(CountsWindow.fromEvents(new ArrayList<>(liveEvents), r, start, end));
        fromCoordinator.set(false);
        title.set(heading(r) + ": " + why + ", so this console's own live events (those it still holds)");
        String counts = liveTotals.get();
        totals.set("totals since this console opened the stream: " + (counts.isBlank() ? "none" : counts));
    }

    private void apply(CountsWindow w) {
        startMs.set(w.startMs());
        endMs.set(w.endMs());
        List<Series> s = w.series();
        if (!s.equals(series)) {
            series.setAll(s);
        }
    }

    private static String heading(CountsRange r) {
        return "counts per " + r.bucketLabel() + ", " + r.label();
    }

    public ReadOnlyObjectProperty<CountsRange> rangeProperty() {
        return range.getReadOnlyProperty();
    }

    /** One per line direction and zone entry or exit; replaced as a whole when a read changes them. */
    public ObservableList<Series> series() {
        return seriesView;
    }

    /** What is charted and where it comes from (the coordinator, or this console's events and why). */
    public ReadOnlyStringProperty titleProperty() {
        return title.getReadOnlyProperty();
    }

    /** The cumulative totals: the coordinator's all-time ones, or this console's own. */
    public ReadOnlyStringProperty totalsProperty() {
        return totals.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty fromCoordinatorProperty() {
        return fromCoordinator.getReadOnlyProperty();
    }

    /** The window's start (epoch ms), the first bucket's. */
    public ReadOnlyLongProperty startMsProperty() {
        return startMs.getReadOnlyProperty();
    }

    /** The window's end (epoch ms, exclusive), the end of the bucket now is in. */
    public ReadOnlyLongProperty endMsProperty() {
        return endMs.getReadOnlyProperty();
    }

    @Override
    public void close() {
        reader.shutdownNow();
    }

    /** The series named {@code name} ({@code door in}), if charted. */
    public Optional<Series> find(String name) {
        return series.stream().filter(s -> s.name().equals(name)).findFirst();
    }
}
