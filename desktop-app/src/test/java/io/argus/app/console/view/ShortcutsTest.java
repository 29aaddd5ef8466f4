package io.argus.app.console.view;

import io.argus.app.console.feed.FeedSnapshot;
import io.argus.app.console.feed.FramePicture;
import io.argus.app.console.model.ConsoleModel;
import io.argus.app.console.model.ModelProbe;
import io.argus.app.console.model.StreamViewModel;
import io.argus.client.ArgusClient;
import io.argus.cluster.embedded.EmbeddedZooKeeper;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.stage.Window;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The keyboard in the real window (Monocle, the robot's key presses, a real ZooKeeper behind the
 * client): digits select tiles, layout "1" steps through the streams (keys and buttons), Enter
 * opens Detail and Esc comes back, "?" and F1 show the help listing every shortcut, F11 opens wall
 * mode, Ctrl+S snapshots the selected tile, and none of it fires while the operator types.
 */
class ShortcutsTest extends FxRobot {
    static EmbeddedZooKeeper zk;
    static ArgusClient client;
    static ConsoleModel model;
    static ConsoleWindow window;
    static final List<String> NAMES = List.of("north", "south", "yard");
    static final List<StreamViewModel> vms = new java.util.ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "shortcuts");
        zk = EmbeddedZooKeeper.start();
        client = ArgusClient.connect(zk.connectString(), "shortcuts-test");
        FxToolkit.registerPrimaryStage();
        FxToolkit.setupStage(s -> {
            model = new ConsoleModel(client, dir.resolve("console.json"));
            window = new ConsoleWindow(model, false);
            for (String n : NAMES) {
                ScriptedFeed f = new ScriptedFeed(n);
                f.picture = new FramePicture(64, 48, ScriptedFeed.grey(64, 48), List.of(), 1,
                        System.currentTimeMillis() * 1000);
                f.snapshot = new FeedSnapshot("a1", "LIVE", "", 10, 10, 20, 30, 40, 0, 0, Map.of(), Map.of(), 0, 1,
                        false);
                vms.add(ModelProbe.attach(model, f));
            }
            s.setScene(window.scene(1280, 800, Objects.requireNonNull(ShortcutsTest.class
                    .getResource("/argus/ui/argus-dark.css")).toExternalForm()));
            s.show();
        });
        WaitForAsyncUtils.waitForFxEvents();
    }

    @AfterAll
    static void stop() throws Exception {
        FxToolkit.cleanupStages();
        fx(() -> {
            model.close();
            return null;
        });
        client.close();
        zk.close();
    }

    @BeforeEach
    void wallInAuto() throws Exception {
        fx(() -> {
            model.layoutProperty().set("auto");
            window.tabs().getSelectionModel().select(0);
            window.help().setVisible(false);
            // the keys go to the focused window: the main one, not a wall mode a test opened
            javafx.stage.Stage main = (javafx.stage.Stage) window.tabs().getScene().getWindow();
            main.toFront();
            main.requestFocus();
            window.tabs().requestFocus();
            return null;
        });
        WaitForAsyncUtils.waitForFxEvents();
    }

    static <T> T fx(Callable<T> c) throws Exception {
        return WaitForAsyncUtils.asyncFx(c).get();
    }

    static StreamViewModel selected() throws Exception {
        return fx(() -> window.wall().selectedProperty().get());
    }

    /** The streams whose tiles are on the wall now. */
    static List<String> shown() throws Exception {
        return fx(() -> NAMES.stream().filter(n -> {
            TileView t = window.wall().tile(n);
            return t != null && t.getParent() != null;
        }).toList());
    }

    @Test
    void digitsSelectTilesAndEnterOpensDetailEscReturns() throws Exception {
        type(KeyCode.DIGIT2);
        assertThat(selected()).isSameAs(vms.get(1));
        type(KeyCode.DIGIT3);
        assertThat(selected()).isSameAs(vms.get(2));
        type(KeyCode.DIGIT9); // no ninth tile: the selection stays, and the status bar says why
        assertThat(selected()).isSameAs(vms.get(2));
        assertThat(fx(() -> ((Label) window.tabs().getScene().lookup("#action-message")).getText()))
                .isEqualTo("no tile 9 on the wall");
        type(KeyCode.ENTER);
        assertThat(fx(() -> window.tabs().getSelectionModel().getSelectedIndex())).isEqualTo(1);
        assertThat(fx(() -> window.detail().current())).isSameAs(vms.get(2));
        type(KeyCode.ESCAPE);
        assertThat(fx(() -> window.tabs().getSelectionModel().getSelectedIndex())).isZero();
    }

    @Test
    void layoutOneShowsTheSelectedStreamAndCycles() throws Exception {
        type(KeyCode.DIGIT2);
        fx(() -> {
            model.layoutProperty().set("1");
            return null;
        });
        assertThat(shown()).containsExactly("south"); // the selected one, not the first
        assertThat(fx(() -> window.wall().position().getText())).isEqualTo("2 / 3  south");
        type(KeyCode.PAGE_DOWN);
        assertThat(shown()).containsExactly("yard");
        type(KeyCode.PAGE_DOWN); // round the end
        assertThat(shown()).containsExactly("north");
        type(KeyCode.PAGE_UP);
        assertThat(shown()).containsExactly("yard");
        clickOn("#wall-next");
        assertThat(shown()).containsExactly("north");
        assertThat(fx(() -> window.wall().position().getText())).isEqualTo("1 / 3  north");
        type(KeyCode.DIGIT2);
        assertThat(shown()).containsExactly("south");
        assertThat(selected()).isSameAs(vms.get(1));
    }

    @Test
    void helpListsEveryShortcutAndClosesWithEsc() throws Exception {
        assertThat(fx(() -> window.help().isVisible())).isFalse();
        write("?");
        assertThat(fx(() -> window.help().isVisible())).isTrue();
        assertThat(fx(() -> window.help().lookupAll(".help-key").stream().map(n -> ((Label) n).getText()).toList()))
                .containsExactly(java.util.Arrays.stream(Shortcut.values()).map(Shortcut::keys).toArray(String[]::new));
        type(KeyCode.ESCAPE);
        assertThat(fx(() -> window.help().isVisible())).isFalse();
        type(KeyCode.F1);
        assertThat(fx(() -> window.help().isVisible())).isTrue();
        clickOn("#help-overlay");
        assertThat(fx(() -> window.help().isVisible())).isFalse();
    }

    @Test
    void keysAreTextWhileTheOperatorTypes() throws Exception {
        fx(() -> {
            window.tabs().getSelectionModel().select(0);
            return null;
        });
        type(KeyCode.DIGIT1);
        assertThat(selected()).isSameAs(vms.get(0));
        TextField field = fx(() -> {
            TextField f = new TextField();
            ((javafx.scene.control.ToolBar) window.tabs().getScene().lookup(".tool-bar")).getItems().add(f);
            return f;
        });
        clickOn(field);
        write("3?f");
        assertThat(fx(() -> field.getText())).isEqualTo("3?f");
        assertThat(selected()).isSameAs(vms.get(0));
        assertThat(fx(() -> window.help().isVisible())).isFalse();
        assertThat(fx(() -> (Integer) Window.getWindows().size())).isEqualTo(1);
        fx(() -> ((javafx.scene.control.ToolBar) window.tabs().getScene().lookup(".tool-bar")).getItems().remove(field));
    }

    @Test
    void ctrlSSnapshotsTheSelectedTileAndF11OpensWallMode() throws Exception {
        type(KeyCode.DIGIT1);
        press(KeyCode.CONTROL).type(KeyCode.S).release(KeyCode.CONTROL);
        Label message = fx(() -> (Label) window.tabs().getScene().lookup("#action-message"));
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> fx(message::getText).startsWith("saved "));
        assertThat(fx(message::getText)).contains("north-");
        type(KeyCode.F11);
        assertThat(fx(() -> (Integer) Window.getWindows().size())).isEqualTo(2);
        Window wallMode = fx(() -> Window.getWindows().stream().filter(w -> w != window.tabs().getScene().getWindow())
                .findFirst().orElseThrow());
        fx(() -> {
            wallMode.requestFocus();
            return null;
        });
        WaitForAsyncUtils.waitForFxEvents();
        type(KeyCode.ESCAPE); // leaves wall mode
        assertThat(fx(wallMode::isShowing)).isFalse();
    }
}
