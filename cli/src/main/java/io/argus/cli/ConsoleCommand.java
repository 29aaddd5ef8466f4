package io.argus.cli;

import io.argus.app.console.ConsoleLauncher;
import io.argus.app.console.ConsoleReport;
import io.argus.app.console.model.ConsoleSettings;
import io.argus.client.ArgusClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code argus console --zk HOST:PORT}: the operator console on an existing cluster. */
@Command(name = "console", mixinStandardHelpOptions = true, description = "Opens the operator console on a running cluster.")
public final class ConsoleCommand implements Callable<Integer> {
    @Option(names = "--zk", required = true, description = "ZooKeeper connect string of the cluster.")
    String zk;

    @Option(names = "--settings", description = "Settings file (default: ~/.config/argus/console.json).")
    Path settings;

    @picocli.CommandLine.Mixin
    io.argus.cluster.options.TlsOptions tls = new io.argus.cluster.options.TlsOptions();

    @picocli.CommandLine.Mixin
    TokenOptions token = new TokenOptions();

    @picocli.CommandLine.Mixin
    io.argus.cluster.options.ZkAuthOptions zkAuth = new io.argus.cluster.options.ZkAuthOptions();

    @Option(names = "--report", description = "Write the console's own figures (CPU, memory, dropped frames, "
            + "capture-to-screen latency) as JSON lines to FILE (see benchmarks/console-wall.sh).")
    Path report;

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
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException("cannot write " + report, e);
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
