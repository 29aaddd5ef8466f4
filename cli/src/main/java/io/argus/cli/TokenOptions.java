package io.argus.cli;

import io.argus.protocol.auth.Tokens;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The client's token (a picocli mixin): sent in {@code Hello} to agents started with
 * {@code --auth-token-file}, and as a bearer token to coordinators started with {@code --token-file}.
 * It is read from a file or the environment, never from the command line, where {@code ps} shows it.
 */
final class TokenOptions {
    static final String ENV = "ARGUS_TOKEN";

    @Option(names = "--token-file", description = "File whose first line is this client's token "
            + "(default: the " + ENV + " environment variable, else no token).")
    @Nullable Path file;

    String token() throws IOException {
        if (file != null) {
            // a file without a token is an error, not a silent "no token"
            return Tokens.readFirst(file);
        }
        String env = System.getenv(ENV);
        return env == null ? "" : env.trim();
    }
}
