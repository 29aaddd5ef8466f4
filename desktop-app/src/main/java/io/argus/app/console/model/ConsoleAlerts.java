package io.argus.app.console.model;

import org.jspecify.annotations.Nullable;
import io.argus.protocol.v1.Event;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The console's alerts, newest first and at most {@link #MAX_ALERTS}: watch-list matches, a stream
 * going offline or its occupancy rising over its limit (each once per edge, not once per frame),
 * and agents leaving the cluster. Used on the JavaFX thread only.
 */
final class ConsoleAlerts {
    static final int MAX_ALERTS = 1000;

    private final ObservableList<Alert> alerts = FXCollections.observableArrayList();
    // one read-only view: JavaFX's unmodifiable wrappers listen weakly, a fresh wrapper per call
    // would be collected together with the listeners added to it
    private final ObservableList<Alert> alertsView = FXCollections.unmodifiableObservableList(alerts);
    private final Map<String, String> lastStatus = new LinkedHashMap<>();
    private final List<Consumer<Alert>> alertListeners = new ArrayList<>();
    private final Map<String, Boolean> over = new LinkedHashMap<>();

    ObservableList<Alert> view() {
        return alertsView;
    }

    void onAlert(Consumer<Alert> l) {
        alertListeners.add(l);
    }

    /**
     * The alerts of one stream's pulse: {@code fresh} are its events since the last pulse, {@code s}
     * its saved source (null for none), which holds its occupancy limit.
     */
    void check(StreamViewModel vm, List<Event> fresh, ConsoleSettings.@Nullable Source s) {
        for (Event e : fresh) {
            if (e.getType().equals("watch")) {
                alert("WATCH", vm.getName(), "watch list: \"" + e.getAttributesMap().get("text") + "\" matches "
                        + e.getAttributesMap().get("pattern"));
            }
        }
        String st = vm.statusProperty().get();
        String before = lastStatus.put(vm.getName(), st);
        if ("OFFLINE".equals(st) && !"OFFLINE".equals(before)) {
            alert("OFFLINE", vm.getName(), vm.getName() + " is offline: " + vm.snapshot().detail());
        }
        if (s != null && s.occupancyAlert > 0 && vm.occupancyProperty().get() > s.occupancyAlert
                && occupancyEdge(vm, s.occupancyAlert)) {
            alert("OCCUPANCY", vm.getName(), vm.getName() + ": " + vm.occupancyProperty().get()
                    + " people, over the limit of " + s.occupancyAlert);
        }
    }

    private boolean occupancyEdge(StreamViewModel vm, int limit) {
        boolean now = vm.occupancyProperty().get() > limit;
        Boolean was = over.put(vm.getName(), now);
        return now && (was == null || !was);
    }

    void alert(String kind, String stream, String message) {
        Alert a = new Alert(System.currentTimeMillis(), kind, stream, message);
        alerts.add(0, a);
        if (alerts.size() > MAX_ALERTS) {
            alerts.remove(MAX_ALERTS, alerts.size());
        }
        alertListeners.forEach(l -> l.accept(a));
    }
}
