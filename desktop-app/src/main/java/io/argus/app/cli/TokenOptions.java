package io.argus.app.cli;

import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The client's token (a picocli mixin): sent in {@code Hello} to agents started with
 * {@code --auth-token-file}, and as a bearer token to coordinators started with {@code --token-file}.
 * It is read from a file or the environment, never from the command line, where {@code ps} shows it.
 */
final class TokenOptions {
    static final String ENV = "ARGUS_TOKEN";

    @Option(names = "--token-file", description = "File whose first line is this client's token "
            + "(default: the " + ENV + " environment variable, else no token).")
    Path file;

    String token() throws IOException {
        if (file != null) {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return lines.isEmpty() ? "" : lines.get(0).trim();
        }
        String env = System.getenv(ENV);
        return env == null ? "" : env.trim();
    }
}
