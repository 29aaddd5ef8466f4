package io.argus.app.console.view;

import io.argus.app.console.model.Alert;
import io.argus.app.console.model.AlertChange;
import io.argus.app.console.model.NotificationGate;
import javafx.animation.PauseTransition;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import javafx.stage.Window;
import javafx.util.Duration;

import java.util.function.Consumer;

/**
 * Pop-up notifications drawn inside the main window, top right, rather than as windows of their
 * own: a dialog is a window above this one, so a notification can never cover its buttons; and
 * while a modal dialog is open none is shown at all ({@link NotificationGate} holds them back and
 * the next one says how many). Legible in the dark theme (light text on a solid dark red or green,
 * contrast above 9:1). A click on one opens the alert.
 */
final class ToastLayer extends VBox {
    static final int MAX_VISIBLE = 4;
    private final NotificationGate gate = new NotificationGate();
    private final Consumer<Alert> open;
    /** Native dialogs (the file chooser) are no JavaFX windows: the window counts the ones it opens. */
    private int nativeDialogs;

    ToastLayer(Consumer<Alert> open) {
        this.open = open;
        getStyleClass().add("toast-layer");
        setAlignment(Pos.TOP_RIGHT);
        setPickOnBounds(false); // clicks between toasts reach the console below
        setMaxWidth(Double.MAX_VALUE);
    }

    void nativeDialog(boolean opened) {
        nativeDialogs += opened ? 1 : -1;
    }

    /** True while a modal dialog of this console is open. */
    boolean dialogOpen() {
        return nativeDialogs > 0 || Window.getWindows().stream().anyMatch(w -> w instanceof Stage s
                && s.isShowing() && s.getModality() != javafx.stage.Modality.NONE);
    }

    void offer(AlertChange c) {
        gate.offer(c, System.currentTimeMillis(), dialogOpen()).ifPresent(d ->
                show(c.title(), d.text(), c.started() ? "started" : "ended", c.alert()));
    }

    /** Once per pulse: what was held back, once it may be said. */
    void pulse(long nowMs) {
        gate.heldBackSummary(nowMs, dialogOpen()).ifPresent(n -> show(n + " alert change(s) while you were busy",
                "see the Alerts tab", "summary", null));
    }

    private void show(String title, String text, String style, @org.jspecify.annotations.Nullable Alert a) {
        Label t = new Label(title);
        t.getStyleClass().add("toast-title");
        Label m = new Label(text);
        m.getStyleClass().add("toast-text");
        m.setWrapText(true);
        VBox toast = new VBox(2, t, m);
        toast.getStyleClass().addAll("toast", style);
        toast.setMaxWidth(420);
        toast.setPrefWidth(420);
        toast.setMaxHeight(USE_PREF_SIZE);
        toast.setOnMouseClicked(e -> {
            getChildren().remove(toast);
            if (a != null) {
                open.accept(a);
            }
        });
        getChildren().add(toast);
        if (getChildren().size() > MAX_VISIBLE) {
            getChildren().remove(0);
        }
        PauseTransition p = new PauseTransition(Duration.seconds(8));
        p.setOnFinished(e -> getChildren().remove(toast));
        p.play();
    }
}
