package io.argus.app.console.model;

import javafx.beans.binding.Bindings;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;
import javafx.collections.transformation.SortedList;
import org.jspecify.annotations.Nullable;

import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The Alerts tab's state, testable without a screen: the alerts grouped per stream (or agent) and
 * kind, newest first within a group, filtered by group, kind, "active only" and "unacknowledged
 * only"; acknowledging one or all shown; the count of unacknowledged alerts for the tab's title.
 */
public final class AlertsViewModel {
    /** The group filter's value that shows every stream and agent. */
    public static final String ALL = "all streams";

    private final ConsoleAlerts alerts;
    private final StringProperty group = new SimpleStringProperty(ALL);
    private final ObjectProperty<@Nullable AlertKind> kind = new SimpleObjectProperty<>();
    private final BooleanProperty activeOnly = new SimpleBooleanProperty();
    private final BooleanProperty unacknowledgedOnly = new SimpleBooleanProperty();
    private final FilteredList<Alert> filtered;
    private final SortedList<Alert> sorted;
    private final ObservableList<String> groups = FXCollections.observableArrayList(ALL);
    private final ObservableList<String> groupsView = FXCollections.unmodifiableObservableList(groups);
    private final ReadOnlyIntegerWrapper unacknowledged = new ReadOnlyIntegerWrapper();

    AlertsViewModel(ConsoleAlerts alerts) {
        this.alerts = alerts;
        filtered = new FilteredList<>(alerts.view());
        filtered.predicateProperty().bind(Bindings.createObjectBinding(this::predicate, group, kind, activeOnly,
                unacknowledgedOnly));
        sorted = new SortedList<>(filtered, Comparator.comparing(Alert::group).thenComparing(Alert::kind)
                .thenComparing(Comparator.comparingLong(Alert::startMs).reversed())
                .thenComparing(Comparator.comparingLong(Alert::id).reversed()));
        alerts.view().addListener((ListChangeListener<Alert>) c -> refreshCounts());
    }

    private Predicate<Alert> predicate() {
        String g = group.get();
        AlertKind k = kind.get();
        boolean active = activeOnly.get();
        boolean unacked = unacknowledgedOnly.get();
        return a -> (g == null || g.equals(ALL) || a.group().equals(g)) && (k == null || a.type() == k)
                && (!active || a.active()) && (!unacked || !a.acknowledged());
    }

    private void refreshCounts() {
        TreeSet<String> names = new TreeSet<>();
        int n = 0;
        for (Alert a : alerts.view()) {
            names.add(a.group());
            n += a.acknowledged() ? 0 : 1;
        }
        unacknowledged.set(n);
        List<String> wanted = new java.util.ArrayList<>();
        wanted.add(ALL);
        wanted.addAll(names);
        if (!wanted.equals(groups)) {
            groups.setAll(wanted);
        }
    }

    /** The alerts that pass the filter, grouped per stream and kind, newest first within a group. */
    public ObservableList<Alert> shown() {
        return sorted;
    }

    /** {@link #ALL} and every stream or agent that has alerts: the group filter's choices. */
    public ObservableList<String> groups() {
        return groupsView;
    }

    public StringProperty groupProperty() {
        return group;
    }

    /** Only alerts of this kind; null: every kind. */
    public ObjectProperty<@Nullable AlertKind> kindProperty() {
        return kind;
    }

    public BooleanProperty activeOnlyProperty() {
        return activeOnly;
    }

    public BooleanProperty unacknowledgedOnlyProperty() {
        return unacknowledgedOnly;
    }

    public ReadOnlyIntegerProperty unacknowledgedProperty() {
        return unacknowledged.getReadOnlyProperty();
    }

    public void acknowledge(Alert a) {
        alerts.acknowledge(a);
    }

    /** Acknowledges every alert the filter shows (and only those: what the operator has seen). */
    public void acknowledgeShown() {
        for (Alert a : List.copyOf(sorted)) {
            alerts.acknowledge(a);
        }
    }
}
