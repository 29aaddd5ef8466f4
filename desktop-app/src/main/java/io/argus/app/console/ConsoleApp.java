package io.argus.app.console;

import io.argus.app.console.model.ConsoleModel;
import io.argus.app.console.view.ConsoleWindow;
import io.argus.client.ArgusClient;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.stage.Stage;
import org.jspecify.annotations.Nullable;

import java.net.URL;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The JavaFX application. It is started by {@link ConsoleLauncher} (a runnable jar's main class
 * must not extend Application), which hands it the cluster connection and settings.
 */
public final class ConsoleApp extends Application {
    /** Set by the launcher before {@code launch}. */
    static volatile @Nullable Setup setup;

    record Setup(ArgusClient client, Path settings, Consumer<ConsoleModel> onReady, long exitAfterMs, String title) {
    }

    private @Nullable ConsoleModel model;

    @Override
    public void start(Stage stage) {
        Setup s = Objects.requireNonNull(setup, "setup"); // launch() sets it before JavaFX starts the app
        model = new ConsoleModel(s.client(), s.settings());
        ConsoleWindow window = new ConsoleWindow(model, true);
        URL css = ConsoleApp.class.getResource("/argus/ui/argus-dark.css");
        stage.setScene(window.scene(1280, 800, css == null ? null : css.toExternalForm()));
        stage.setTitle(s.title());
        stage.show();
        model.restore();
        if (s.onReady() != null) {
            s.onReady().accept(model);
        }
        if (s.exitAfterMs() > 0) {
            Thread t = new Thread(() -> {
                try {
                    Thread.sleep(s.exitAfterMs());
                } catch (InterruptedException ignored) {
                    // exit now
                }
                Platform.runLater(Platform::exit);
            }, "argus-exit-timer");
            t.setDaemon(true);
            t.start();
        }
    }

    @Override
    public void stop() {
        if (model != null) {
            model.close();
        }
    }
}
