package io.argus.app.console;

import io.argus.app.console.model.ConsoleModel;
import io.argus.client.ArgusClient;
import javafx.application.Application;

import java.nio.file.Path;
import java.util.function.Consumer;

/** Starts the JavaFX console from a plain main (see {@link ConsoleApp}); returns when the window closes. */
public final class ConsoleLauncher {
    private ConsoleLauncher() {
    }

    public static void run(ArgusClient client, Path settings, Consumer<ConsoleModel> onReady, long exitAfterMs,
                           String title) {
        ConsoleApp.setup = new ConsoleApp.Setup(client, settings, onReady, exitAfterMs, title);
        Application.launch(ConsoleApp.class);
    }
}
