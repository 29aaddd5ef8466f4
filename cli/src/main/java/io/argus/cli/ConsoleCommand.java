package io.argus.cli;

import io.argus.app.console.ConsoleLauncher;
import io.argus.app.console.ConsoleReport;
import io.argus.app.console.model.ConsoleSettings;
import io.argus.client.ArgusClient;
import io.argus.cluster.options.ZkAuthOptions;
import io.argus.cluster.options.TlsOptions;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code argus console --zk HOST:PORT}: the operator console on an existing cluster. */
@Command(name = "console", mixinStandardHelpOptions = true, description = "Opens the operator console on a running cluster.")
public final class ConsoleCommand implements Callable<Integer> {
    @Option(names = "--zk", required = true, description = "ZooKeeper connect string of the cluster.")
    String zk;

    @Option(names = "--settings", description = "Settings file (default: ~/.config/argus/console.json).")
    @Nullable Path settings;

    @Mixin
    TlsOptions tls = new TlsOptions();

    @Mixin
    TokenOptions token = new TokenOptions();

    @Mixin
    ZkAuthOptions zkAuth = new ZkAuthOptions();

    @Option(names = "--report", description = "Write the console's own figures (CPU, memory, dropped frames, "
            + "capture-to-screen latency) as JSON lines to FILE (see benchmarks/console-wall.sh).")
    @Nullable Path report;

    @Option(names = "--report-seconds", description = "Period of --report lines (default: ${DEFAULT-VALUE}).", defaultValue = "10")
    int reportSeconds;

    @Option(names = "--exit-after", description = "Close the console after this many seconds (default: never).", defaultValue = "0")
    long exitAfterSeconds;

    @Override
    public Integer call() throws Exception {
        ConsoleReport[] measuring = new ConsoleReport[1];
        try (ArgusClient client = ArgusClient.connect(zk, "console-" + ProcessHandle.current().pid(), token.token(),
                tls.settings(), zkAuth.credentials())) {
            ConsoleLauncher.run(client, settings != null ? settings : ConsoleSettings.defaultPath(), model -> {
                if (report != null) {
                    try {
                        measuring[0] = ConsoleReport.start(model, report, reportSeconds);
                    } catch (IOException e) {
                        throw new UncheckedIOException("cannot write " + report, e);
                    }
                }
            }, exitAfterSeconds * 1000, "Argus console - " + zk);
        } finally {
            if (measuring[0] != null) {
                measuring[0].close();
            }
        }
        return 0;
    }
}
