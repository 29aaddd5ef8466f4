package io.argus.protocol.auth;

import java.nio.charset.StandardCharsets;
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
