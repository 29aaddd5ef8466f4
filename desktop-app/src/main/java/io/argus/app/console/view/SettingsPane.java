package io.argus.app.console.view;

import io.argus.app.console.model.ConsoleModel;
import io.argus.app.console.model.Geometry;
import io.argus.app.console.model.ConsoleSettings;
import io.argus.task.api.people.PeopleConfig;
import io.argus.task.api.text.TextParams;
import javafx.beans.value.ObservableValue;
import io.argus.task.api.TaskException;
import javafx.application.Platform;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import org.controlsfx.control.PropertySheet;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Per-stream task parameters in a ControlsFX {@link PropertySheet}, applied with "apply" and saved
 * with the console's settings. Lines and zones show what is active and are applied live, through
 * the central configuration, as Detail's editor applies them; a change of tasks or of other
 * parameters restarts the stream in its place.
 */
public final class SettingsPane extends BorderPane {
    private final ConsoleModel model;
    private final ChoiceBox<String> stream = new ChoiceBox<>();
    private final PropertySheet sheet = new PropertySheet();
    private final Label message = new Label();
    private final List<Item> items = new ArrayList<>();

    /** One editable parameter. */
    static final class Item implements PropertySheet.Item {
        final String task;
        final String key;
        final String description;
        /** As shown when the sheet was loaded: an item left as it was changes nothing. */
        final Object initial;
        Object value;

        Item(String task, String key, String description, Object value) {
            this.task = task;
            this.key = key;
            this.description = description;
            this.initial = value;
            this.value = value;
        }

        boolean changed() {
            return !String.valueOf(value).equals(String.valueOf(initial));
        }

        @Override
        public Class<?> getType() {
            return value instanceof Integer ? Integer.class : String.class;
        }

        @Override
        public String getCategory() {
            return task;
        }

        @Override
        public String getName() {
            return key;
        }

        @Override
        public String getDescription() {
            return description;
        }

        @Override
        public Object getValue() {
            return value;
        }

        @Override
        public void setValue(Object v) {
            this.value = v;
        }

        @Override
        public Optional<ObservableValue<? extends Object>> getObservableValue() {
            return Optional.empty();
        }
    }

    public SettingsPane(ConsoleModel model) {
        this.model = model;
        stream.setOnAction(e -> load());
        Button apply = new Button("apply");
        apply.setId("settings-apply");
        apply.setOnAction(e -> apply());
        message.setId("settings-message");
        Button refresh = new Button("refresh list");
        refresh.setOnAction(e -> refreshStreams());
        setTop(new HBox(8, new Label("stream"), stream, refresh, apply, message));
        setCenter(sheet);
        sheet.setModeSwitcherVisible(false);
        refreshStreams();
    }

    /** Shown again (its tab selected): the streams and their values as they are now. */
    void reload() {
        refreshStreams();
    }

    /** The parameters shown, as the sheet edits them. */
    List<Item> items() {
        return items;
    }

    private void refreshStreams() {
        String cur = stream.getValue();
        stream.getItems().setAll(model.settings().sources.stream().map(s -> s.name).toList());
        stream.setValue(cur != null && stream.getItems().contains(cur) ? cur
                : stream.getItems().isEmpty() ? null : stream.getItems().get(0));
        load();
    }

    private void load() {
        items.clear();
        ConsoleSettings.Source s = stream.getValue() == null ? null : model.settings().find(stream.getValue());
        if (s == null) {
            sheet.getItems().clear();
            return;
        }
        Map<String, String> people = s.params.getOrDefault("people", Map.of());
        Map<String, String> text = s.params.getOrDefault("text", Map.of());
        items.add(new Item("stream", "tasks", "comma-separated tasks", String.join(",", s.tasks)));
        items.add(new Item("stream", "occupancy alert", "alert above this many people (0 = never)", s.occupancyAlert));
        items.add(new Item("stream", "crossing rate alert", "alert above this many line crossings a minute (0 = never)",
                s.crossingRateAlert));
        // the lines and zones the stream counts with (the central configuration's, where it sets them),
        // not only those it was added with: the sheet never shows "none" while three are active
        Geometry active = model.activeGeometry(s.name);
        items.add(new Item("people", "lines", "NAME:x1,y1,x2,y2;... (also drawn in Detail)", active.linesSpec()));
        items.add(new Item("people", "zones", "NAME:x1,y1,x2,y2,x3,y3,...;... (also drawn in Detail)", active.zonesSpec()));
        items.add(new Item("people", "minHeight", "smallest person, fraction of the frame height", people.getOrDefault("minHeight", plain(PeopleConfig.DEFAULT_MIN_HEIGHT))));
        items.add(new Item("text", "watch", "JSON array of regular expressions", text.getOrDefault("watch", "")));
        items.add(new Item("text", "minConfidence", "0-100", text.getOrDefault("minConfidence", plain(TextParams.DEFAULT_MIN_CONFIDENCE))));
        sheet.getItems().setAll(items);
    }

    private void apply() {
        ConsoleSettings.Source s = stream.getValue() == null ? null : model.settings().find(stream.getValue());
        if (s == null) {
            return;
        }
        List<String> tasks = new ArrayList<>();
        Map<String, Map<String, String>> params = new LinkedHashMap<>(s.params);
        Geometry active = model.activeGeometry(s.name);
        String lines = active.linesSpec();
        String zones = active.zonesSpec();
        for (Item i : items) {
            // lines or zones left as loaded keep what is active now (Detail may have changed them since)
            if (i.task.equals("people") && i.key.equals("lines")) {
                lines = i.changed() ? String.valueOf(i.value).trim() : lines;
            } else if (i.task.equals("people") && i.key.equals("zones")) {
                zones = i.changed() ? String.valueOf(i.value).trim() : zones;
            } else if (i.key.equals("tasks")) {
                for (String t : String.valueOf(i.value).split(",")) {
                    if (!t.isBlank()) {
                        tasks.add(t.trim());
                    }
                }
            } else if (i.key.equals("occupancy alert")) {
                model.setOccupancyAlert(s.name, i.value instanceof Integer n ? n : Integer.parseInt(String.valueOf(i.value)));
            } else if (i.key.equals("crossing rate alert")) {
                model.setCrossingRateAlert(s.name, i.value instanceof Integer n ? n
                        : Integer.parseInt(String.valueOf(i.value)));
            } else if (i.changed()) {
                Map<String, String> p = new LinkedHashMap<>(params.getOrDefault(i.task, Map.of()));
                String v = String.valueOf(i.value);
                if (v.isBlank()) {
                    p.remove(i.key);
                } else {
                    p.put(i.key, v);
                }
                params.put(i.task, p);
            }
        }
        Geometry geometry;
        try {
            geometry = Geometry.parse(lines, zones);
        } catch (TaskException e) {
            message.setText("refused: " + e.getMessage());
            return;
        }
        List<String> done = new ArrayList<>();
        // a stream restarts (its counts begin again) only when its tasks or other parameters change
        if (!tasks.equals(s.tasks) || !params.equals(s.params)) {
            try {
                model.reconfigure(s.name, tasks, params);
                done.add("tasks and parameters (the stream restarted)");
            } catch (RuntimeException e) {
                message.setText("refused: " + e.getMessage());
                return;
            }
        }
        if (!geometry.equals(active)) {
            // lines and zones go live, like Detail's: the other lines' and zones' counts continue
            String name = s.name;
            model.setGeometry(name, geometry).whenComplete((live, err) -> Platform.runLater(() -> {
                if (err != null) {
                    message.setText("refused: " + (err.getCause() != null ? err.getCause() : err).getMessage());
                    return;
                }
                done.add(Boolean.TRUE.equals(live) ? "lines and zones" : "lines and zones (no coordinator: the stream restarted)");
                message.setText("applied to " + name + ": " + String.join(", ", done));
            }));
            return;
        }
        message.setText(done.isEmpty() ? "nothing changed" : "applied to " + s.name + ": " + String.join(", ", done));
    }

    /** A default as a user would type it: 55, not 55.0 (the defaults come from task-api). */
    private static String plain(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
