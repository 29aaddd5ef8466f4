package io.argus.app.cli;

import io.argus.app.console.ConsoleLauncher;
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
    io.argus.protocol.tls.TlsOptions tls = new io.argus.protocol.tls.TlsOptions();

    @Override
    public Integer call() throws Exception {
        try (ArgusClient client = ArgusClient.connect(zk, "console-" + ProcessHandle.current().pid(), "", tls.settings())) {
            ConsoleLauncher.run(client, settings != null ? settings : ConsoleSettings.defaultPath(), null, 0,
                    "Argus console - " + zk);
        }
        return 0;
    }
}
