package io.argus.app.console.view;

import io.argus.app.console.model.ConsoleModel;
import io.argus.app.console.model.ConsoleSettings;
import io.argus.task.api.people.PeopleConfig;
import io.argus.task.api.text.TextParams;
import javafx.beans.value.ObservableValue;
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
 * Per-stream task parameters in a ControlsFX {@link PropertySheet}, applied with "apply" (the
 * stream restarts with them) and saved with the console's settings.
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
        Object value;

        Item(String task, String key, String description, Object value) {
            this.task = task;
            this.key = key;
            this.description = description;
            this.value = value;
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
        apply.setOnAction(e -> apply());
        Button refresh = new Button("refresh list");
        refresh.setOnAction(e -> refreshStreams());
        setTop(new HBox(8, new Label("stream"), stream, refresh, apply, message));
        setCenter(sheet);
        sheet.setModeSwitcherVisible(false);
        refreshStreams();
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
        items.add(new Item("people", "lines", "NAME:x1,y1,x2,y2;...", people.getOrDefault("lines", "")));
        items.add(new Item("people", "zones", "NAME:x1,y1,x2,y2,x3,y3,...;...", people.getOrDefault("zones", "")));
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
        for (Item i : items) {
            if (i.key.equals("tasks")) {
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
            } else {
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
        try {
            model.reconfigure(s.name, tasks, params);
            message.setText("applied to " + s.name);
        } catch (RuntimeException e) {
            message.setText("refused: " + e.getMessage());
        }
    }

    /** A default as a user would type it: 55, not 55.0 (the defaults come from task-api). */
    private static String plain(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
