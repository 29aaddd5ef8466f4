package io.argus.app.console.view;

import io.argus.app.console.model.ConsoleModel;
import io.argus.app.console.model.StreamViewModel;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.ListChangeListener;
import javafx.css.PseudoClass;
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
 * one Snapshot and Remove act on while the wall is shown), a double click opens it in Detail.
 */
public final class WallView extends GridPane {
    private final ConsoleModel model;
    private final Map<StreamViewModel, TileView> tiles = new LinkedHashMap<>();
    private final Consumer<StreamViewModel> onFocus;
    private final ReadOnlyObjectWrapper<@Nullable StreamViewModel> selected = new ReadOnlyObjectWrapper<>();
    private static final PseudoClass SELECTED = PseudoClass.getPseudoClass("selected");

    public WallView(ConsoleModel model, Consumer<StreamViewModel> onFocus) {
        this.model = model;
        this.onFocus = onFocus;
        getStyleClass().add("wall");
        setHgap(4);
        setVgap(4);
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
        List<StreamViewModel> vms = new ArrayList<>(model.streams());
        tiles.keySet().retainAll(vms);
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
        // a tile that left the grid (removed, or past the layout's capacity) cannot stay selected
        StreamViewModel sel = selected.get();
        if (sel != null && (tiles.get(sel) == null || tiles.get(sel).getParent() == null)) {
            select(null);
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

    public @Nullable TileView tile(String stream) {
        return tiles.entrySet().stream().filter(e -> e.getKey().getName().equals(stream)).map(Map.Entry::getValue)
                .findFirst().orElse(null);
    }
}
