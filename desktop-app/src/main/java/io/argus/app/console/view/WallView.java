package io.argus.app.console.view;

import io.argus.app.console.model.ConsoleModel;
import io.argus.app.console.model.StreamViewModel;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.ListChangeListener;
import javafx.css.PseudoClass;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.RowConstraints;
import org.jspecify.annotations.Nullable;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The wall: a grid of tiles (1, 2x2, 3x3, 4x4 or auto), one per stream. A click selects a tile (the
 * one Snapshot and Remove act on while the wall is shown), a double click opens it in Detail. Layout
 * "1" shows one stream, the selected one, with a bar to step through the others ({@link #cycle},
 * also Page Up/Down).
 */
public final class WallView extends GridPane {
    private final ConsoleModel model;
    private final Map<StreamViewModel, TileView> tiles = new LinkedHashMap<>();
    private final Consumer<StreamViewModel> onFocus;
    private final ReadOnlyObjectWrapper<@Nullable StreamViewModel> selected = new ReadOnlyObjectWrapper<>();
    private static final PseudoClass SELECTED = PseudoClass.getPseudoClass("selected");
    /** Layout "1": which of how many is shown, and buttons to step. */
    private final Label position = new Label();
    private final HBox cycleBar;

    public WallView(ConsoleModel model, Consumer<StreamViewModel> onFocus) {
        this.model = model;
        this.onFocus = onFocus;
        getStyleClass().add("wall");
        setHgap(4);
        setVgap(4);
        Button prev = new Button("◀ previous");
        prev.setId("wall-previous");
        prev.setOnAction(e -> cycle(-1));
        Button next = new Button("next ▶");
        next.setId("wall-next");
        next.setOnAction(e -> cycle(1));
        position.setId("wall-position");
        cycleBar = new HBox(8, prev, position, next, new Label("(Page Up / Page Down)"));
        cycleBar.setAlignment(Pos.CENTER);
        cycleBar.getStyleClass().add("wall-cycle");
        model.streams().addListener((ListChangeListener<StreamViewModel>) c -> rebuild());
        model.layoutProperty().addListener((o, a, b) -> rebuild());
        rebuild();
    }

    static int columns(String layout, int n) {
        return switch (layout) {
            case "1" -> 1;
            case "2x2" -> 2;
            case "3x3" -> 3;
            case "4x4" -> 4;
            default -> Math.max(1, (int) Math.ceil(Math.sqrt(n)));
        };
    }

    private void rebuild() {
        getChildren().clear();
        getColumnConstraints().clear();
        getRowConstraints().clear();
        List<StreamViewModel> all = new ArrayList<>(model.streams());
        tiles.keySet().retainAll(all);
        boolean single = model.layoutProperty().get().equals("1");
        List<StreamViewModel> vms = all;
        if (single && !all.isEmpty()) {
            // the selected stream, else the first: "1" shows one stream, not always the first one
            StreamViewModel sel = selected.get();
            StreamViewModel one = sel != null && all.contains(sel) ? sel : all.get(0);
            vms = List.of(one);
            position.setText((all.indexOf(one) + 1) + " / " + all.size() + "  " + one.getName());
        }
        int cols = columns(model.layoutProperty().get(), vms.size());
        int capacity = model.layoutProperty().get().equals("auto") ? vms.size() : cols * cols;
        int shown = Math.min(capacity, vms.size());
        int rows = Math.max(1, (int) Math.ceil((double) shown / cols));
        for (int c = 0; c < cols; c++) {
            ColumnConstraints cc = new ColumnConstraints();
            cc.setPercentWidth(100.0 / cols);
            cc.setHgrow(Priority.ALWAYS);
            getColumnConstraints().add(cc);
        }
        for (int r = 0; r < rows; r++) {
            RowConstraints rc = new RowConstraints();
            rc.setPercentHeight(100.0 / rows);
            rc.setVgrow(Priority.ALWAYS);
            getRowConstraints().add(rc);
        }
        for (int i = 0; i < shown; i++) {
            StreamViewModel vm = vms.get(i);
            TileView t = tiles.computeIfAbsent(vm, TileView::new);
            t.setOnMouseClicked(e -> {
                select(vm);
                if (e.getClickCount() == 2) {
                    onFocus.accept(vm);
                }
            });
            add(t, i % cols, i / cols);
        }
        if (single && !all.isEmpty()) {
            // the bar takes its own height below the tile, which keeps the rest
            getRowConstraints().get(0).setPercentHeight(-1);
            RowConstraints bar = new RowConstraints();
            bar.setVgrow(Priority.NEVER);
            getRowConstraints().add(bar);
            add(cycleBar, 0, 1);
            StreamViewModel one = vms.get(0);
            if (selected.get() != one) {
                select(one);
            }
        }
        // a tile that left the grid (removed, or past the layout's capacity) cannot stay selected
        StreamViewModel sel = selected.get();
        if (sel != null && (tiles.get(sel) == null || tiles.get(sel).getParent() == null)) {
            select(null);
        }
    }

    /**
     * Selects the {@code n}th stream (0-based, in the wall's order); in layout "1", shows it. False,
     * and nothing selected, if there is no such tile on the wall (a hidden tile must not be the
     * one Snapshot and Remove act on).
     */
    public boolean selectIndex(int n) {
        List<StreamViewModel> all = model.streams();
        if (n < 0 || n >= all.size()) {
            return false;
        }
        StreamViewModel vm = all.get(n);
        if (model.layoutProperty().get().equals("1")) {
            select(vm);
            rebuild();
            return true;
        }
        TileView t = tiles.get(vm);
        if (t == null || t.getParent() == null) {
            return false;
        }
        select(vm);
        return true;
    }

    /** Selects the stream {@code delta} places on from the selected one, round the end; in layout "1", shows it. */
    public void cycle(int delta) {
        List<StreamViewModel> all = model.streams();
        if (all.isEmpty()) {
            return;
        }
        StreamViewModel sel = selected.get();
        int i = sel == null ? 0 : all.indexOf(sel);
        selectIndex(Math.floorMod(Math.max(0, i) + delta, all.size()));
    }

    /** The selected tile's stream opened in Detail, as a double click does. */
    public void openSelected() {
        StreamViewModel vm = selected.get();
        if (vm != null) {
            onFocus.accept(vm);
        }
    }

    private void select(@Nullable StreamViewModel vm) {
        tiles.forEach((k, t) -> t.pseudoClassStateChanged(SELECTED, k == vm));
        selected.set(vm);
    }

    /** The selected tile's stream, if its tile is on the wall. */
    public ReadOnlyObjectProperty<@Nullable StreamViewModel> selectedProperty() {
        return selected.getReadOnlyProperty();
    }

    public void update(boolean aligned) {
        for (TileView t : tiles.values()) {
            if (t.getParent() != null) {
                t.update(aligned);
            }
        }
    }

    Label position() {
        return position;
    }

    public @Nullable TileView tile(String stream) {
        return tiles.entrySet().stream().filter(e -> e.getKey().getName().equals(stream)).map(Map.Entry::getValue)
                .findFirst().orElse(null);
    }
}
