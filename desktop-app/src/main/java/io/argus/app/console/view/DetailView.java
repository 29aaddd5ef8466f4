package io.argus.app.console.view;

import io.argus.app.console.model.Alert;
import io.argus.app.console.model.ConsoleModel;
import io.argus.app.console.model.ConsoleSettings;
import io.argus.app.console.model.GeometryEditor;
import io.argus.app.console.model.StreamViewModel;
import io.argus.protocol.v1.Event;
import io.argus.task.api.TaskNames;
import io.argus.task.geom.Pt;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.SplitPane;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.VBox;
import org.jspecify.annotations.Nullable;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One stream in detail: a large view on which its counting lines and zones are drawn, moved,
 * renamed, reversed and deleted with the mouse ({@link GeometryEditor}, {@link GeometryBar},
 * {@link GeometryPainter}), task toggles, the counts per bucket over a chosen range
 * ({@link CountsChartView}), and the events with their evidence thumbnails.
 */
public final class DetailView extends BorderPane {
    /** How often Detail reads the active lines and zones again (another console or the CLI may change them). */
    static final long GEOMETRY_READ_NS = 1_000_000_000L;
    /** What the edit layer shows now: it is painted again only when this changes. */
    private GeometryPainter.@Nullable PaintKey lastGeometryPaint;
    private final ConsoleModel model;
    private final Label title = new Label("double-click a tile on the wall");
    private final Label stats = new Label();
    private final GeometryEditor geometry;
    /** When the editor last read the active lines and zones (they may change elsewhere). */
    private long geometryReadNs;
    private final FlowPane toggles = new FlowPane(8, 4);
    private final CountsChartView chart;
    private final ListView<Event> events = new ListView<>();
    private final Label evidence = new Label();
    /** The alert Detail was opened from, with its picture and time; hidden otherwise. */
    private final Label alertBanner = new Label();
    private final BorderPane viewHolder = new BorderPane();
    private @Nullable TileView tile;
    private final ReadOnlyObjectWrapper<@Nullable StreamViewModel> current =
            new ReadOnlyObjectWrapper<>();

    public DetailView(ConsoleModel model) {
        this.model = model;
        getStyleClass().add("detail");
        chart = new CountsChartView(model.countsChart());
        events.setCellFactory(v -> new EventCell());
        events.getSelectionModel().selectedItemProperty().addListener((o, a, e) -> showEvidence(e));
        geometry = new GeometryEditor(model);
        GeometryBar lineBar = new GeometryBar(geometry);
        alertBanner.getStyleClass().add("alert-banner");
        alertBanner.setId("alert-banner");
        alertBanner.setWrapText(true);
        alertBanner.setMaxWidth(Double.MAX_VALUE);
        alertBanner.managedProperty().bind(alertBanner.visibleProperty());
        alertBanner.setVisible(false);
        alertBanner.setOnMouseClicked(e -> alertBanner.setVisible(false));
        VBox top = new VBox(4, title, alertBanner, stats, toggles, lineBar);
        top.setPadding(new Insets(6));
        setTop(top);
        VBox side = new VBox(6, new Label("events"), events, evidence);
        side.setPrefWidth(320);
        SplitPane split = new SplitPane(viewHolder, side);
        split.setDividerPositions(0.72);
        setCenter(split);
        setBottom(chart);
        // a removed stream must not linger here as hidden state (Snapshot and Remove never use it,
        // and its last picture would look live)
        model.streams().addListener((ListChangeListener<StreamViewModel>) c -> {
            StreamViewModel vm = current.get();
            if (vm != null && !model.streams().contains(vm)) {
                clear(vm.getName());
            }
        });
    }

    private void clear(String removed) {
        current.set(null);
        model.countsChart().show(null);
        tile = null;
        geometry.load(null);
        title.textProperty().unbind();
        title.setText(removed + " was removed; double-click a tile on the wall");
        stats.textProperty().unbind();
        stats.setText("");
        viewHolder.setCenter(null);
        events.setItems(FXCollections.observableArrayList());
        toggles.getChildren().clear();
    }

    /**
     * Shows, over the stream (already {@link #show shown}), the alert it was opened from: the
     * picture of the moment the alert began, its time and what happened. A click hides it.
     */
    public void showAlert(Alert a) {
        java.time.format.DateTimeFormatter t = java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss")
                .withZone(java.time.ZoneId.systemDefault());
        String when = t.format(java.time.Instant.ofEpochMilli(a.startMs()))
                + (a.active() ? ", still active" : " to " + t.format(java.time.Instant.ofEpochMilli(a.endMsProperty().get())));
        alertBanner.setText("Alert: " + a.type().started() + " since " + when + "\n" + a.message()
                + "\n(click to hide)");
        if (a.thumbnail() != null) {
            ImageView iv = new ImageView(AlertsPane.image(a.thumbnail()));
            iv.setFitWidth(160);
            iv.setPreserveRatio(true);
            alertBanner.setGraphic(iv);
        } else {
            alertBanner.setGraphic(null);
        }
        alertBanner.setVisible(true);
    }

    Label alertBanner() {
        return alertBanner;
    }

    public void show(StreamViewModel vm) {
        alertBanner.setVisible(false);
        current.set(vm);
        title.textProperty().bind(vm.nameProperty().concat("  ").concat(vm.badgeProperty()));
        stats.textProperty().bind(vm.statsProperty().concat("\n").concat(vm.countsProperty()));
        TileView t = new TileView(vm);
        tile = t;
        geometry.load(vm.getName());
        geometryReadNs = System.nanoTime();
        t.setOnMousePressed(e -> pointer(t, e.getX(), e.getY(), e.getClickCount() == 2, 0));
        t.setOnMouseDragged(e -> pointer(t, e.getX(), e.getY(), false, 1));
        t.setOnMouseReleased(e -> pointer(t, e.getX(), e.getY(), false, 2));
        viewHolder.setCenter(tile);
        events.setItems(vm.events());
        model.countsChart().show(vm);
        buildToggles(vm);
    }

    public @Nullable StreamViewModel current() {
        return current.get();
    }

    public ReadOnlyObjectProperty<@Nullable StreamViewModel> currentProperty() {
        return current.getReadOnlyProperty();
    }

    @Nullable TileView tile() {
        return tile;
    }

    private void buildToggles(StreamViewModel vm) {
        toggles.getChildren().clear();
        ConsoleSettings.Source s = model.settings().find(vm.getName());
        if (s == null) {
            return;
        }
        for (String task : TaskNames.KNOWN) {
            if (task.equals("mosaic") || task.equals("stitch")) {
                continue; // compositing runs from the composite view
            }
            CheckBox cb = new CheckBox(task);
            cb.setSelected(s.tasks.contains(task));
            cb.setOnAction(e -> {
                List<String> tasks = new ArrayList<>(s.tasks);
                if (cb.isSelected()) {
                    tasks.add(task);
                } else {
                    tasks.remove(task);
                }
                if (!tasks.isEmpty()) {
                    model.reconfigure(vm.getName(), tasks, new LinkedHashMap<>(s.params));
                    model.find(vm.getName()).ifPresent(this::show);
                }
            });
            toggles.getChildren().add(cb);
        }
    }

    /** A press (0), drag (1) or release (2) on the picture, in source pixels, to the editor. */
    private void pointer(TileView t, double x, double y, boolean doubleClick, int what) {
        double[] f = t.toFrame(x, y);
        double[] size = t.frameSize();
        if (f == null || size == null) {
            return; // no picture yet: nothing to draw on
        }
        geometry.frameSize(size[0], size[1]);
        Pt p = new Pt(f[0], f[1]);
        switch (what) {
            case 0 -> geometry.press(p, GeometryPainter.HANDLE_PX * t.sourcePerTilePixel(), doubleClick);
            case 1 -> geometry.drag(p);
            default -> geometry.release(p);
        }
        lastGeometryPaint = GeometryPainter.paintIfChanged(t, geometry, lastGeometryPaint);
    }

    private void showEvidence(Event e) {
        if (e == null) {
            evidence.setGraphic(null);
            evidence.setText("");
            return;
        }
        Map<String, String> a = new LinkedHashMap<>(e.getAttributesMap());
        evidence.setText(e.getType() + " at frame " + e.getSourceIndex() + "\n" + a);
        if (!e.getThumbnailJpeg().isEmpty()) {
            ImageView iv = new ImageView(new Image(new ByteArrayInputStream(e.getThumbnailJpeg().toByteArray())));
            iv.setFitWidth(300);
            iv.setPreserveRatio(true);
            evidence.setGraphic(iv);
        } else {
            evidence.setGraphic(null);
        }
    }

    /** Once per frame while Detail is shown: the picture, and the counts chart when a read is due. */
    public void update(boolean aligned) {
        TileView t = tile;
        if (t != null) {
            t.update(aligned);
            if (System.nanoTime() - geometryReadNs > GEOMETRY_READ_NS) {
                geometryReadNs = System.nanoTime();
                geometry.refresh();
            }
            lastGeometryPaint = GeometryPainter.paintIfChanged(t, geometry, lastGeometryPaint);
        }
        model.countsChart().pulse();
    }

    GeometryEditor geometry() {
        return geometry;
    }

    CountsChartView countsChart() {
        return chart;
    }

    private static final class EventCell extends ListCell<Event> {
        @Override
        protected void updateItem(Event e, boolean empty) {
            super.updateItem(e, empty);
            if (empty || e == null) {
                setText(null);
                setGraphic(null);
                return;
            }
            Map<String, String> a = e.getAttributesMap();
            String what = switch (e.getType()) {
                case "crossing" -> a.get("line") + " " + a.get("direction") + " (track " + a.get("track") + ")";
                case "text", "watch" -> "\"" + a.get("text") + "\"";
                default -> a.toString();
            };
            setText(e.getType() + " @" + e.getSourceIndex() + ": " + what);
            if (!e.getThumbnailJpeg().isEmpty()) {
                ImageView iv = new ImageView(new Image(new ByteArrayInputStream(e.getThumbnailJpeg().toByteArray()), 48, 36,
                        true, true));
                setGraphic(iv);
            } else {
                setGraphic(null);
            }
        }
    }
}
