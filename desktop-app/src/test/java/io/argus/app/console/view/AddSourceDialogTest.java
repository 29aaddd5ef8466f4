package io.argus.app.console.view;

import io.argus.app.console.model.ConsoleModel;
import io.argus.app.console.model.StreamViewModel;
import io.argus.client.ArgusClient;
import io.argus.cluster.embedded.EmbeddedZooKeeper;
import io.argus.testing.TestAssets;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.stage.FileChooser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Add source in the real window (Monocle, the robot's clicks and keys, a real ZooKeeper behind the
 * client, FFmpeg opening the files): a bad path or a file that is no video is refused under the
 * source field in plain words and adds nothing; while a source is checked the dialog says so, OK is
 * disabled and the window stays responsive; the sample clip is added and the dialog closes.
 */
class AddSourceDialogTest extends FxRobot {
    static EmbeddedZooKeeper zk;
    static ArgusClient client;
    static ConsoleModel model;
    static ConsoleWindow window;
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "add-source-ui");
        zk = EmbeddedZooKeeper.start();
        client = ArgusClient.connect(zk.connectString(), "add-source-ui-test");
        FxToolkit.registerPrimaryStage();
        FxToolkit.setupStage(s -> {
            model = new ConsoleModel(client, dir.resolve("console.json"));
            window = new ConsoleWindow(model, false);
            s.setScene(window.scene(1280, 800, Objects.requireNonNull(AddSourceDialogTest.class
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

    @AfterEach
    void closeDialogAndStreams() throws Exception {
        if (!lookup(".dialog-pane").queryAll().isEmpty()) {
            clickOn("Cancel");
            WaitForAsyncUtils.waitForFxEvents();
        }
        fx(() -> {
            for (StreamViewModel vm : new ArrayList<>(model.streams())) {
                model.removeSource(vm.getName());
            }
            return null;
        });
    }

    static <T> T fx(Callable<T> c) throws Exception {
        return WaitForAsyncUtils.asyncFx(c).get();
    }

    static void assertPlain(String message) {
        assertThat(message).isNotBlank().doesNotContain("avformat", "JavaCV", "Exception", "setFormat", "(Has",
                "org.bytedeco", "java.");
    }

    /** Opens the dialog with the toolbar's button and types a name and a source. */
    void fill(String name, String source) {
        clickOn("#add-source");
        WaitForAsyncUtils.waitForFxEvents();
        clickOn("#source-name").write(name);
        replaceSource(source);
    }

    void replaceSource(String source) {
        TextField where = lookup("#source-path").queryAs(TextField.class);
        // set, not typed: the robot types a long path a key at a time, for seconds
        interact(() -> where.setText(source));
    }

    String problem() throws Exception {
        Label l = lookup("#source-problem").queryAs(Label.class);
        return fx(() -> l.isVisible() ? l.getText() : "");
    }

    boolean dialogShowing() {
        return !lookup(".dialog-pane").queryAll().isEmpty()
                && lookup(".dialog-pane").queryAs(DialogPane.class).getScene().getWindow().isShowing();
    }

    @Test
    void aBadSourceIsSaidInPlainWordsAndNothingIsAdded() throws Exception {
        Path missing = dir.resolve("nowhere").resolve("door.mp4");
        fill("door", missing.toString());
        clickOn("OK");
        await().atMost(Duration.ofSeconds(10)).until(() -> !problem().isEmpty());
        assertThat(problem()).isEqualTo("no such file or folder: " + missing
                + "; check that the path exists (for a managed stream: on the agent's machine)");
        assertPlain(problem());
        assertThat(dialogShowing()).as("the dialog stays open to correct the path").isTrue();
        assertThat(fx(() -> model.find("door"))).isEmpty();

        // a text file named .mp4: FFmpeg's reason, without JavaCV's hints
        Path notes = dir.resolve("notes.mp4");
        Files.writeString(notes, "these are meeting notes, not a video\n".repeat(50), StandardCharsets.UTF_8);
        replaceSource(notes.toString());
        assertThat(problem()).as("typing clears the old problem").isEmpty();
        clickOn("OK");
        await().atMost(Duration.ofSeconds(20)).until(() -> !problem().isEmpty());
        assertThat(problem()).startsWith("cannot open " + notes)
                .contains("check that it is a video format FFmpeg can open");
        assertPlain(problem());
        assertThat(fx(() -> model.streams())).isEmpty();
        // the message wraps over several lines: the dialog grows with it, its buttons stay in sight
        DialogPane pane = lookup(".dialog-pane").queryAs(DialogPane.class);
        await().atMost(Duration.ofSeconds(5)).until(() -> fx(() -> pane.getScene().getHeight()
                >= pane.prefHeight(pane.getWidth()) - 1));

        // an empty name is refused under the name field, before anything is opened
        TextField name = lookup("#source-name").queryAs(TextField.class);
        interact(name::clear);
        clickOn("OK");
        WaitForAsyncUtils.waitForFxEvents();
        Label nameProblem = lookup("#source-name-problem").queryAs(Label.class);
        assertThat(fx(nameProblem::getText)).isEqualTo("give the stream a name");
        assertThat(fx(nameProblem::isVisible)).isTrue();
        assertThat(fx(() -> model.streams())).isEmpty();
    }

    @Test
    void theSampleClipIsAddedAndTheDialogCloses() throws Exception {
        fill("clip", TestAssets.vtest().toString());
        clickOn("OK");
        await().atMost(Duration.ofSeconds(20)).until(() -> fx(() -> model.find("clip").isPresent()));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(dialogShowing()).isFalse();
        Label message = fx(() -> (Label) window.tabs().getScene().lookup("#action-message"));
        assertThat(fx(message::getText)).isEqualTo("added clip");
        assertThat(fx(() -> model.settings().find("clip").source)).isEqualTo(TestAssets.vtest().toString());

        // the same name again is refused at once, under the name field
        fill("clip", TestAssets.vtest().toString());
        clickOn("OK");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(fx(() -> lookup("#source-name-problem").queryAs(Label.class).getText()))
                .isEqualTo("a stream called 'clip' is already on the wall");
        assertThat(fx(() -> model.streams().size())).isEqualTo(1);
    }

    /**
     * A server that accepts and never answers: the dialog says it is checking, OK is disabled, the
     * window keeps answering (the check runs off the JavaFX thread), and the source is refused.
     */
    @Test
    void whileASourceIsCheckedTheDialogSaysSoAndOkIsDisabled() throws Exception {
        try (ServerSocket server = new ServerSocket(0)) {
            List<Socket> accepted = new CopyOnWriteArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(server.accept());
                    }
                } catch (java.io.IOException closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            String url = "http://127.0.0.1:" + server.getLocalPort() + "/live";
            clickOn("#add-source");
            WaitForAsyncUtils.waitForFxEvents();
            clickOn("#source-name").write("stuck");
            ChoiceBox<?> kind = lookup("#source-kind").queryAs(ChoiceBox.class);
            interact(() -> kind.getSelectionModel().select(2)); // RTSP/HTTP URL
            replaceSource(url);
            Button ok = (Button) lookup(".dialog-pane").queryAs(DialogPane.class)
                    .lookupButton(javafx.scene.control.ButtonType.OK);
            clickOn(ok);
            WaitForAsyncUtils.waitForFxEvents();
            Label status = lookup("#source-status").queryAs(Label.class);
            assertThat(fx(status::getText)).isEqualTo("checking " + url + " ...");
            assertThat(fx(ok::isDisabled)).isTrue();
            // the JavaFX thread is free: typing in the name field works meanwhile
            clickOn("#source-name").write("2");
            assertThat(fx(() -> lookup("#source-name").queryAs(TextField.class).getText())).isEqualTo("stuck2");
            await().atMost(Duration.ofSeconds(20)).until(() -> !problem().isEmpty());
            assertThat(problem()).contains(url).contains("check that the URL is reachable from this machine");
            assertPlain(problem());
            assertThat(fx(status::getText)).isEmpty();
            assertThat(fx(ok::isDisabled)).isFalse();
            assertThat(fx(() -> model.streams())).isEmpty();
            for (Socket s : accepted) {
                s.close();
            }
        }
    }

    /**
     * Browse goes through the window's native-dialog count, so notifications wait while a chooser
     * is open and come back after: Monocle has no native chooser (it throws), which the dialog says
     * in words, and the count is back to zero once the dialog closed. The chooser offers videos,
     * images and all files.
     */
    @Test
    void browseSaysWhenThereIsNoChooserAndReleasesTheNotifications() throws Exception {
        clickOn("#add-source");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(fx(() -> window.toasts().dialogOpen())).as("a modal dialog is open").isTrue();
        clickOn("#browse-file");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(problem()).isEqualTo("this display has no file chooser: type the path");
        clickOn("#browse-folder");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(problem()).isEqualTo("this display has no file chooser: type the path");
        clickOn("Cancel");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(fx(() -> window.toasts().dialogOpen())).as("no chooser counted as open any more").isFalse();

        FileChooser fc = fx(AddSourceDialog::fileChooser);
        assertThat(fc.getExtensionFilters()).extracting(FileChooser.ExtensionFilter::getDescription)
                .containsExactly("Videos", "Images", "All files");
        assertThat(fc.getExtensionFilters().get(0).getExtensions()).contains("*.mp4", "*.avi", "*.mkv");
        assertThat(fc.getExtensionFilters().get(1).getExtensions()).contains("*.jpg", "*.png", "*.bmp");
        assertThat(fc.getExtensionFilters().get(2).getExtensions()).containsExactly("*");
    }
}
