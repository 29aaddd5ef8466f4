package io.argus.app.console.view;

import io.argus.app.console.model.GeometryEditor;
import javafx.application.Platform;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;

/**
 * Detail's tools for lines and zones: select, draw a line, draw a zone; the selected shape's name
 * (Enter renames), reverse, delete; apply the draft or revert to what is active; and what happened,
 * in words. A thin view: every decision is {@link GeometryEditor}'s.
 */
final class GeometryBar extends HBox {
    GeometryBar(GeometryEditor editor) {
        super(6);
        getStyleClass().add("geometry-bar");
        ToggleGroup tools = new ToggleGroup();
        ToggleButton select = tool("Select", "geometry-select", "pick a line or zone; drag an end, a corner or the shape",
                tools, editor, GeometryEditor.Tool.SELECT);
        ToggleButton line = tool("Line", "geometry-line", "press, drag and release on the picture to draw a line",
                tools, editor, GeometryEditor.Tool.LINE);
        ToggleButton zone = tool("Zone", "geometry-zone", "click the corners; click the first corner again to close",
                tools, editor, GeometryEditor.Tool.ZONE);
        editor.toolProperty().addListener((o, a, b) -> tools.selectToggle(switch (b) {
            case SELECT -> select;
            case LINE -> line;
            case ZONE -> zone;
        }));
        tools.selectToggle(select);
        // a click on the selected tool would leave none selected: keep one
        tools.selectedToggleProperty().addListener((o, a, b) -> {
            if (b == null && a != null) {
                tools.selectToggle(a);
            }
        });

        TextField name = new TextField();
        name.setId("geometry-name");
        name.setPromptText("name");
        name.setPrefColumnCount(8);
        name.setTooltip(new Tooltip("the selected line's or zone's name: type and press Enter to rename"));
        name.disableProperty().bind(editor.selectedProperty().isNull());
        editor.selectedProperty().addListener((o, a, b) -> name.setText(b == null ? "" : b.name()));
        name.setOnAction(e -> {
            if (!editor.rename(name.getText()) && editor.selectedProperty().get() != null) {
                name.setText(editor.selectedProperty().get().name());
            }
        });

        Button reverse = new Button("Reverse");
        reverse.setId("geometry-reverse");
        reverse.setTooltip(new Tooltip("swap the selected line's in and out sides"));
        reverse.disableProperty().bind(javafx.beans.binding.Bindings.createBooleanBinding(
                () -> editor.selectedProperty().get() == null
                        || editor.selectedProperty().get().kind() != GeometryEditor.Kind.LINE,
                editor.selectedProperty()));
        reverse.setOnAction(e -> editor.reverse());
        Button delete = new Button("Delete");
        delete.setId("geometry-delete");
        delete.disableProperty().bind(editor.selectedProperty().isNull());
        delete.setOnAction(e -> editor.delete());
        Button apply = new Button("Apply");
        apply.setId("geometry-apply");
        apply.setTooltip(new Tooltip("make these the stream's lines and zones (central configuration, versioned)"));
        apply.disableProperty().bind(editor.dirtyProperty().not());
        apply.setOnAction(e -> editor.apply(Platform::runLater));
        Button revert = new Button("Revert");
        revert.setId("geometry-revert");
        revert.disableProperty().bind(editor.dirtyProperty().not());
        revert.setOnAction(e -> editor.revert());
        Label message = new Label();
        message.setId("geometry-message");
        message.textProperty().bind(editor.messageProperty());
        getChildren().addAll(new Label("lines and zones"), select, line, zone, name, reverse, delete, apply, revert,
                message);
    }

    private static ToggleButton tool(String text, String id, String tip, ToggleGroup group, GeometryEditor editor,
                                     GeometryEditor.Tool t) {
        ToggleButton b = new ToggleButton(text);
        b.setId(id);
        b.setToggleGroup(group);
        b.setTooltip(new Tooltip(tip));
        b.setOnAction(e -> editor.toolProperty().set(t));
        return b;
    }
}
