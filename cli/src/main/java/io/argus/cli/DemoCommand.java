package io.argus.cli;

import io.argus.app.console.ConsoleLauncher;
import io.argus.app.console.model.ConsoleSettings;
import io.argus.cli.demo.DemoCluster;
import io.argus.cli.demo.DemoSamples;
import io.argus.app.console.model.ConsoleModel;
import io.argus.client.ArgusClient;
import io.argus.cluster.StreamConfig;
import io.argus.cluster.api.CoordinatorApi;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * {@code argus demo}: everything in one process (ZooKeeper, a coordinator, two agents) and the
 * console playing the bundled footage with people counting on a line, plus the bundled sign photos
 * with text reading and a watch list.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Runs an embedded cluster and opens the console on the bundled sample footage.")
public final class DemoCommand implements Callable<Integer> {
    @Option(names = "--assets", defaultValue = "assets", description = "The assets folder (default: ${DEFAULT-VALUE}).")
    Path assets;

    @Option(names = "--exit-after", defaultValue = "0", description = "Close after this many seconds (0 = when the window closes).")
    long exitAfter;

    @Option(names = "--settings", description = "The console's settings file, kept between runs "
            + "(default: demo-console.json beside the console's, ~/.config/argus/).")
    @Nullable Path settings;

    @Override
    public Integer call() throws Exception {
        Path video = assets.resolve("video/vtest.avi").toAbsolutePath();
        if (!Files.isRegularFile(video)) {
            System.err.println("demo: cannot find " + video + "; run from the repository root or pass --assets DIR");
            return 2;
        }
        // kept between runs, like the console's (layout, alert thresholds, sources added); the
        // cluster, and with it the central lines and zones, is new each run
        Path settingsFile = settings != null ? settings : ConsoleSettings.defaultPath().resolveSibling("demo-console.json");
        System.out.println("demo: console settings in " + settingsFile + " (kept between runs; --settings FILE for another)");
        // before the console opens the kept streams: a sample whose file went with an old checkout plays this one's
        DemoSamples.repoint(settingsFile, DemoSamples.bundled(assets)).forEach(System.out::println);
        try (DemoCluster cluster = DemoCluster.start(2, null);
             ArgusClient client = ArgusClient.connect(cluster.zkConnect(), "demo-console", "", null,
                     cluster.credentials())) {
            client.awaitAgents(2, Duration.ofSeconds(20));
            // the counting line goes through the central configuration, as an operator's would
            CoordinatorApi.builder().build().call("http://127.0.0.1:"
                    + cluster.coordinator().httpPort(), "PUT", "/v1/streams/lobby/config", Map.of("tasks",
                    Map.of("people", Map.of("lines", "door:384,60,384,560", "zones", "lawn:0,330,768,330,768,576,0,576"))));
            Consumer<ConsoleModel> ready = model -> {
                // the sample streams, unless the kept settings already have them (or the operator's versions)
                if (model.find("lobby").isEmpty()) {
                    model.addSource("lobby", video.toString(), true, List.of("people"), Map.of());
                }
                if (model.find("signs").isEmpty()) {
                    model.addSource("signs", assets.resolve("images/text").toAbsolutePath().toString(), true,
                            List.of("text"), Map.of("text", Map.of("agree", "1", "watch", "[\"PARKING\"]")));
                }
            };
            System.out.println("DEMO-READY coordinator=http://127.0.0.1:" + cluster.coordinator().httpPort()
                    + " zk=" + cluster.zkConnect() + " zk-auth-file=" + cluster.credentialsFile());
            ConsoleLauncher.run(client, settingsFile, ready, exitAfter * 1000, "Argus demo");
        }
        return 0;
    }

    static StreamConfig none() {
        return StreamConfig.EMPTY;
    }
}
