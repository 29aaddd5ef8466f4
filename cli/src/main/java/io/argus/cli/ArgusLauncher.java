package io.argus.cli;

import io.argus.agent.AgentMain;
import io.argus.coordinator.CoordinatorMain;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the console jar: {@code argus <command>}. Deliberately not a JavaFX
 * {@code Application}: a runnable jar whose main class extends Application fails to start with
 * JavaFX on the class path.
 */
@Command(name = "argus", mixinStandardHelpOptions = true, version = "argus 0.1.0",
        description = "Argus: distributed camera vision.",
        subcommands = {DemoCommand.class, ConsoleCommand.class, AnalyzeCommand.class, AgentMain.class, CoordinatorMain.class, StreamCommand.class, SourcesCommand.class, WatchCommand.class, CertsCommand.class, SoakCommand.class, BenchCommand.class, EvalCommand.class,
                ZooKeeperCommand.class, CommandLine.HelpCommand.class})
public final class ArgusLauncher implements Runnable {

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        return new CommandLine(new ArgusLauncher()).setCaseInsensitiveEnumValuesAllowed(true);
    }
}
