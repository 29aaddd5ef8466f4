package io.argus.app.console.view;

import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;

/** The keyboard help ({@code ?} or F1): every {@link Shortcut} over a dimmed window; a click or Esc closes it. */
final class HelpOverlay extends StackPane {
    HelpOverlay() {
        getStyleClass().add("help-overlay");
        setId("help-overlay");
        GridPane keys = new GridPane();
        keys.setHgap(24);
        keys.setVgap(8);
        int row = 0;
        for (Shortcut s : Shortcut.values()) {
            Label k = new Label(s.keys());
            k.getStyleClass().add("help-key");
            Label w = new Label(s.what());
            w.getStyleClass().add("help-what");
            keys.addRow(row++, k, w);
        }
        Label title = new Label("Keyboard shortcuts");
        title.getStyleClass().add("help-title");
        Label close = new Label("Esc or a click closes this");
        close.getStyleClass().add("help-what");
        VBox card = new VBox(14, title, keys, close);
        card.getStyleClass().add("help-card");
        card.setMaxSize(USE_PREF_SIZE, USE_PREF_SIZE);
        getChildren().add(card);
        StackPane.setAlignment(card, Pos.CENTER);
        setVisible(false);
        setOnMouseClicked(e -> setVisible(false));
    }
}
