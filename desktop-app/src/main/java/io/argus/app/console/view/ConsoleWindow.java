package io.argus.app.console.view;

import io.argus.app.console.model.AddSourceViewModel;
import io.argus.app.console.model.Alert;
import io.argus.app.console.model.ConsoleModel;
import io.argus.app.console.model.StreamViewModel;
import io.argus.app.console.feed.FramePicture;
import io.argus.protocol.Envelopes;
import javafx.animation.AnimationTimer;
import javafx.application.Platform;
import javafx.beans.binding.ObjectBinding;
import javafx.scene.control.ButtonType;
import javafx.beans.binding.Bindings;
import javafx.geometry.Rectangle2D;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.Separator;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.ToolBar;
import javafx.scene.control.TextInputControl;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.geometry.Pos;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.StackPane;
import javafx.stage.FileChooser;
import javafx.stage.Screen;
import javafx.stage.Stage;
import javafx.stage.StageStyle;
import org.controlsfx.control.StatusBar;
import org.jspecify.annotations.Nullable;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;

/**
 * The main window: toolbar, tabs (wall, detail, cluster, composite, alerts, settings) and a status
 * bar with the cluster's health. One {@link AnimationTimer} drives the whole UI: once per pulse it
 * lets the model pull the feeds' latest state and redraws the visible tiles; no other thread
 * touches the scene.
 */
public final class ConsoleWindow {
    private final ConsoleModel model;
    private final BorderPane root = new BorderPane();
    private final WallView wall;
    private final DetailView detail;
    private final ClusterPane cluster;
    private final TabPane tabs = new TabPane();
    private final Tab detailTab;
    private final StatusBar status = new StatusBar();
    private final AlertsPane alertsPane;
    private final Tab alertsTab;
    private final Tab clusterTab;
    /** The window's content with the notifications over it (see {@link ToastLayer}). */
    private final StackPane layers = new StackPane();
    private final ToastLayer toasts = new ToastLayer(this::openAlert);
    private final HelpOverlay help = new HelpOverlay();
    private @Nullable Stage wallStage;
    private @Nullable WallView wallModeView;
    /** The stream Snapshot and Remove act on (see {@link #target()}), or null: they are disabled. */
    private final ObjectBinding<@Nullable StreamViewModel> target;
    private final Label actionMessage = new Label();
    private java.util.function.IntSupplier wallModeScreen = () -> 0;
    /** Writes snapshots: PNG compression and disk are kept off the JavaFX thread. */
    private final Executor background = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "argus-console-snapshots");
        t.setDaemon(true);
        return t;
    });

    public ConsoleWindow(ConsoleModel model, boolean notifications) {
        this.model = model;
        this.detail = new DetailView(model);
        this.wall = new WallView(model, this::focus);
        this.cluster = new ClusterPane(model.cluster());
        Tab wallTab = new Tab("Wall", wall);
        detailTab = new Tab("Detail", detail);
        Tab clusterTab = new Tab("Cluster", cluster);
        Tab compositeTab = new Tab("Composite", new CompositePane(model));
        alertsPane = new AlertsPane(model.alertsView(), this::openAlert);
        Tab alertsTab = new Tab("Alerts", alertsPane);
        alertsTab.textProperty().bind(Bindings.createStringBinding(() -> model.alertsView().unacknowledgedProperty()
                .get() == 0 ? "Alerts" : "Alerts (" + model.alertsView().unacknowledgedProperty().get() + ")",
                model.alertsView().unacknowledgedProperty()));
        this.alertsTab = alertsTab;
        this.clusterTab = clusterTab;
        SettingsPane settingsPane = new SettingsPane(model);
        Tab settingsTab = new Tab("Settings", settingsPane);
        // read again whenever shown: lines and zones drawn in Detail since, a stream added since
        settingsTab.setOnSelectionChanged(e -> {
            if (settingsTab.isSelected()) {
                settingsPane.reload();
            }
        });
        tabs.getTabs().addAll(wallTab, detailTab, clusterTab, compositeTab, alertsTab, settingsTab);
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        target = Bindings.createObjectBinding(this::target, tabs.getSelectionModel().selectedItemProperty(),
                wall.selectedProperty(), detail.currentProperty(), model.streams());
        root.setTop(toolbar());
        // notifications over the tabs' content, top right, below the toolbar (whose buttons they must not hide)
        StackPane.setAlignment(toasts, Pos.TOP_RIGHT);
        root.setCenter(new StackPane(tabs, toasts));
        root.setBottom(status);
        // the result of the last action (e.g. where a snapshot was saved), where a long toolbar cannot hide it
        status.getRightItems().add(actionMessage);
        status.textProperty().bind(Bindings.concat(model.cluster().healthProperty(), "  |  ",
                model.totalsProperty()));
        if (notifications) {
            model.onAlertChange(toasts::offer);
        }
        layers.getChildren().addAll(root, help);
    }

    private ToolBar toolbar() {
        Button add = new Button("Add source");
        add.setId("add-source");
        add.setOnAction(e -> {
            AddSourceDialog d = new AddSourceDialog(new AddSourceViewModel(model), toasts::nativeDialog);
            if (root.getScene() != null) {
                d.initOwner(root.getScene().getWindow());
                // a dialog is a scene of its own: the window's theme and the console's styles, as here
                d.getDialogPane().getStylesheets().addAll(root.getScene().getStylesheets());
            }
            // the dialog checked the source and added the stream: nothing is left to do but say so
            d.showAndWait().ifPresent(added -> actionMessage.setText("added " + added.getName()));
        });
        Button remove = new Button("Remove");
        remove.setId("remove-source");
        remove.disableProperty().bind(target.isNull());
        remove.setOnAction(e -> confirmRemove());
        ChoiceBox<String> layout = new ChoiceBox<>();
        layout.getItems().addAll("auto", "1", "2x2", "3x3", "4x4");
        layout.valueProperty().bindBidirectional(model.layoutProperty());
        ChoiceBox<String> overlay = new ChoiceBox<>();
        overlay.getItems().addAll("exact alignment", "lowest latency");
        overlay.setValue(model.alignedOverlaysProperty().get() ? "exact alignment" : "lowest latency");
        overlay.valueProperty().addListener((o, a, b) -> model.alignedOverlaysProperty().set(b.startsWith("exact")));
        ChoiceBox<String> screen = new ChoiceBox<>();
        for (int i = 0; i < Screen.getScreens().size(); i++) {
            screen.getItems().add("screen " + (i + 1));
        }
        screen.setValue(screen.getItems().isEmpty() ? null : screen.getItems().get(0));
        Button wallMode = new Button("Wall mode");
        wallMode.setOnAction(e -> openWallMode(screen.getItems().indexOf(screen.getValue())));
        wallModeScreen = () -> Math.max(0, screen.getItems().indexOf(screen.getValue()));
        Button keys = new Button("?");
        keys.setId("show-help");
        keys.setTooltip(new javafx.scene.control.Tooltip("keyboard shortcuts (? or F1)"));
        keys.setOnAction(e -> help.setVisible(true));
        Button csv = new Button("Export CSV");
        csv.setOnAction(e -> {
            FileChooser fc = new FileChooser();
            fc.setInitialFileName("argus-counts.csv");
            toasts.nativeDialog(true);
            File f;
            try {
                f = fc.showSaveDialog(root.getScene().getWindow());
            } finally {
                toasts.nativeDialog(false);
            }
            if (f != null) {
                actionMessage.setText("exporting to " + f + "...");
                model.export(f.toPath()).whenComplete((said, failed) -> Platform.runLater(() -> actionMessage.setText(
                        failed == null ? said : "export failed: " + rootMessage(failed))));
            }
        });
        Button snap = new Button("Snapshot");
        snap.setId("snapshot");
        snap.disableProperty().bind(target.isNull());
        snap.setOnAction(e -> snapshot());
        actionMessage.setId("action-message");
        return new ToolBar(add, remove, new Separator(), new Label("layout"), layout, new Label("overlays"), overlay,
                new Separator(), screen, wallMode, new Separator(), csv, snap, new Separator(), keys);
    }

    /**
     * The stream Snapshot and Remove act on: the one whose tile the operator sees and selected (on
     * the wall, the selected tile; in Detail, the stream shown), never state of a tab not shown.
     */
    private @Nullable StreamViewModel target() {
        Tab sel = tabs.getSelectionModel().getSelectedItem();
        StreamViewModel vm = sel == detailTab ? detail.current() : sel != null && sel.getContent() == wall
                ? wall.selectedProperty().get() : null;
        return vm != null && model.streams().contains(vm) ? vm : null;
    }

    private @Nullable TileView targetTile(StreamViewModel vm) {
        return tabs.getSelectionModel().getSelectedItem() == detailTab ? detail.tile() : wall.tile(vm.getName());
    }

    /** Renders the target's picture with its overlays here, writes the PNG on another thread, shows the path. */
    private void snapshot() {
        StreamViewModel vm = target();
        TileView tile = vm == null ? null : targetTile(vm);
        FramePicture p = tile == null ? null : tile.shownPicture();
        if (vm == null || p == null) {
            actionMessage.setText("no picture to save yet");
            return;
        }
        FrameSnapshot.Pixels px = FrameSnapshot.render(p, Envelopes.nowMicros());
        Path file = model.snapshotFile(vm.getName(), Instant.now());
        actionMessage.setText("saving " + file);
        CompletableFuture.runAsync(() -> {
            try {
                FrameSnapshot.writePng(px, file);
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }, background).whenComplete((v, err) -> Platform.runLater(() -> actionMessage.setText(err == null
                ? "saved " + file : "snapshot failed: " + (err.getCause() != null ? err.getCause() : err).getMessage())));
    }

    /** Removing a stream stops sending it and forgets its source: ask first. */
    private void confirmRemove() {
        StreamViewModel vm = target();
        if (vm == null) {
            return;
        }
        String name = vm.getName();
        javafx.scene.control.Alert ask = new javafx.scene.control.Alert(javafx.scene.control.Alert.AlertType.CONFIRMATION,
                "Its tile closes, its frames are no longer sent and its source is forgotten.", ButtonType.OK,
                ButtonType.CANCEL);
        ask.setTitle("Remove stream");
        ask.setHeaderText("Remove stream \"" + name + "\"?");
        if (root.getScene() != null) {
            ask.initOwner(root.getScene().getWindow());
        }
        ask.showAndWait().filter(b -> b == ButtonType.OK).ifPresent(b -> {
            model.removeSource(name);
            actionMessage.setText("removed " + name);
        });
    }

    private void focus(StreamViewModel vm) {
        detail.show(vm);
        tabs.getSelectionModel().select(detailTab);
    }

    /** A chromeless full-screen wall on the chosen screen; Escape closes it. */
    private void openWallMode(int screenIndex) {
        if (wallStage != null) {
            wallStage.close();
        }
        wallModeView = new WallView(model, vm -> {
        });
        Stage s = new Stage(StageStyle.UNDECORATED);
        Scene sc = new Scene(wallModeView);
        sc.getStylesheets().addAll(root.getScene().getStylesheets());
        sc.setOnKeyPressed(k -> {
            if (k.getCode() == KeyCode.ESCAPE) {
                s.close();
            }
        });
        Rectangle2D b = Screen.getScreens().get(Math.max(0, screenIndex)).getBounds();
        s.setX(b.getMinX());
        s.setY(b.getMinY());
        s.setWidth(b.getWidth());
        s.setHeight(b.getHeight());
        s.setScene(sc);
        s.setFullScreenExitHint("");
        s.setFullScreen(true);
        s.setOnHidden(e -> {
            wallStage = null;
            wallModeView = null;
        });
        wallStage = s;
        s.show();
    }

    /** True while the operator types (a text field has the focus): keys are text then, not shortcuts. */
    private boolean typing() {
        return root.getScene() != null && root.getScene().getFocusOwner() instanceof TextInputControl;
    }

    /** The keys of {@link Shortcut} (except "?", a typed character: {@link #keyTyped}). */
    private void keyPressed(KeyEvent k) {
        if (k.getCode() == KeyCode.ESCAPE) {
            if (help.isVisible()) {
                help.setVisible(false);
            } else if (tabs.getSelectionModel().getSelectedItem().getContent() != wall) {
                tabs.getSelectionModel().select(0);
            }
            k.consume();
            return;
        }
        if (k.getCode() == KeyCode.F1) {
            help.setVisible(true);
        } else if (k.getCode() == KeyCode.S && k.isShortcutDown()) {
            snapshot();
        } else if (k.getCode() == KeyCode.A && k.isShortcutDown() && !typing()) {
            tabs.getSelectionModel().select(alertsTab);
        } else if (k.getCode() == KeyCode.F11 || (k.getCode() == KeyCode.F && !k.isShortcutDown() && !typing())) {
            openWallMode(wallModeScreen.getAsInt());
        } else if (typing() || k.isShortcutDown() || k.isAltDown()) {
            return;
        } else if (tileNumber(k.getCode()) >= 0) {
            int n = tileNumber(k.getCode());
            tabs.getSelectionModel().select(0);
            if (!wall.selectIndex(n)) {
                actionMessage.setText("no tile " + (n + 1) + " on the wall");
            }
        } else if (k.getCode() == KeyCode.PAGE_DOWN || k.getCode() == KeyCode.PAGE_UP) {
            tabs.getSelectionModel().select(0);
            wall.cycle(k.getCode() == KeyCode.PAGE_DOWN ? 1 : -1);
        } else if (k.getCode() == KeyCode.ENTER && tabs.getSelectionModel().getSelectedIndex() == 0
                && !(root.getScene().getFocusOwner() instanceof javafx.scene.control.ButtonBase)) {
            wall.openSelected();
        } else {
            return;
        }
        k.consume();
    }

    /** 0 for the key 1 (top row or keypad) to 8 for 9; -1 for any other key. */
    private static int tileNumber(KeyCode c) {
        return switch (c) {
            case DIGIT1, NUMPAD1 -> 0;
            case DIGIT2, NUMPAD2 -> 1;
            case DIGIT3, NUMPAD3 -> 2;
            case DIGIT4, NUMPAD4 -> 3;
            case DIGIT5, NUMPAD5 -> 4;
            case DIGIT6, NUMPAD6 -> 5;
            case DIGIT7, NUMPAD7 -> 6;
            case DIGIT8, NUMPAD8 -> 7;
            case DIGIT9, NUMPAD9 -> 8;
            default -> -1;
        };
    }

    private void keyTyped(KeyEvent k) {
        if ("?".equals(k.getCharacter()) && !typing()) {
            help.setVisible(!help.isVisible());
            k.consume();
        }
    }

    HelpOverlay help() {
        return help;
    }

    /**
     * Opens an alert where it can be acted on: a stream's alert in Detail, with the picture and
     * time of the moment it began; an agent's in the Cluster tab.
     */
    public void openAlert(Alert a) {
        var vm = model.find(a.stream());
        if (vm.isPresent()) {
            detail.show(vm.get());
            detail.showAlert(a);
            tabs.getSelectionModel().select(detailTab);
        } else if (a.stream().isEmpty()) {
            tabs.getSelectionModel().select(clusterTab);
        } else {
            tabs.getSelectionModel().select(alertsTab);
            actionMessage.setText(a.stream() + " is no longer on the wall");
        }
    }

    public Scene scene(double w, double h, @Nullable String stylesheet) {
        Scene s = new Scene(layers, w, h);
        if (stylesheet != null) {
            s.getStylesheets().add(stylesheet);
        }
        // filters, not handlers: the focused control (a tab header, a list) must not swallow Esc or a digit
        s.addEventFilter(KeyEvent.KEY_PRESSED, this::keyPressed);
        s.addEventFilter(KeyEvent.KEY_TYPED, this::keyTyped);
        // the console's own controls (notifications, alerts, help), after the theme so they win
        s.getStylesheets().add(Objects.requireNonNull(ConsoleWindow.class.getResource("/argus/console/console.css"))
                .toExternalForm());
        new AnimationTimer() {
            @Override
            public void handle(long now) {
                long nowMs = System.currentTimeMillis();
                model.pulse(nowMs);
                toasts.pulse(nowMs);
                boolean aligned = model.alignedOverlaysProperty().get();
                Tab sel = tabs.getSelectionModel().getSelectedItem();
                if (sel != null && sel.getContent() == wall) {
                    wall.update(aligned);
                } else if (sel == detailTab) {
                    detail.update(aligned);
                }
                if (wallModeView != null) {
                    wallModeView.update(aligned);
                }
            }
        }.start();
        return s;
    }

    public WallView wall() {
        return wall;
    }

    public DetailView detail() {
        return detail;
    }

    public ClusterPane cluster() {
        return cluster;
    }

    AlertsPane alertsPane() {
        return alertsPane;
    }

    ToastLayer toasts() {
        return toasts;
    }

    public TabPane tabs() {
        return tabs;
    }

    public void showDetail(StreamViewModel vm) {
        focus(vm);
    }

    public static Path defaultStylesheetPath() {
        return Path.of("assets", "ui", "argus-dark.css");
    }

    /** The innermost cause's message: what went wrong, without the future's wrapping exceptions. */
    private static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c.getMessage() == null ? c.toString() : c.getMessage();
    }
}
