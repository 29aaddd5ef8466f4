package io.argus.protocol.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;

/**
 * A set of accepted shared-secret tokens (agent ports, the coordinator's event port and HTTP API).
 * An empty set accepts everyone, which is the loopback development default. Comparison takes the
 * same time whichever token matches and wherever a wrong one differs, so a client cannot find a
 * token byte by byte from response times. {@link #toString()} never shows the tokens.
 */
public final class Tokens {
    private final List<byte[]> accepted;

    private Tokens(List<String> accepted) {
        this.accepted = accepted.stream().map(t -> t.getBytes(StandardCharsets.UTF_8)).toList();
    }

    public static Tokens of(List<String> accepted) {
        return new Tokens(accepted == null ? List.of() : accepted);
    }

    /**
     * Reads a token file: one token per line, surrounding blanks trimmed, blank lines skipped. A file
     * with no token at all is an error: an empty token list means "accept everyone", so a file
     * emptied by mistake (or holding only blank lines) used to turn authentication off silently.
     *
     * @throws IllegalArgumentException if the file cannot be read or holds no token; the message
     *                                  names the file, never a token
     */
    public static List<String> readFile(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException | UncheckedIOException e) {
            throw new IllegalArgumentException("cannot read token file " + file + ": " + e, e);
        }
        List<String> tokens = lines.stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
        if (tokens.isEmpty()) {
            throw new IllegalArgumentException("token file " + file + " holds no token (only blank lines or nothing);"
                    + " an empty token list would accept every client: put one token per line, or leave the option out");
        }
        return tokens;
    }

    /**
     * The secret to present from a file that names one token (see {@link #readFile}): its first
     * line, without a role prefix ({@code admin:S} presents {@code S}, as {@link RoleTokens} accepts it),
     * so that one file can serve as a server's accepted list and a client's token.
     */
    public static String readFirst(Path file) {
        return RoleTokens.secretOf(readFile(file).get(0));
    }

    /** True when no token is configured: every client is accepted. */
    public boolean open() {
        return accepted.isEmpty();
    }

    public boolean accepts(String token) {
        if (accepted.isEmpty()) {
            return true;
        }
        byte[] given = (token == null ? "" : token).getBytes(StandardCharsets.UTF_8);
        boolean ok = false;
        for (byte[] t : accepted) {
            ok |= MessageDigest.isEqual(given, t);
        }
        return ok;
    }

    @Override
    public String toString() {
        return accepted.isEmpty() ? "Tokens[none]" : "Tokens[" + accepted.size() + " configured]";
    }
}
