package io.argus.protocol.auth;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Accepted tokens with the {@link Grant} each carries, from token file lines {@code SECRET} or
 * {@code ROLE:SECRET} (ROLE one of viewer, operator, agent, admin). Each grant's secrets are
 * compared by a {@link Tokens} set, in constant time. With no token configured every client gets
 * {@link Grant#OPERATOR}: it may send and control its own streams and view others', never control
 * another party's stream (the loopback development default; see RELIABILITY.md).
 */
public final class RoleTokens {
    private final Map<Grant, Tokens> byGrant = new EnumMap<>(Grant.class);
    private final boolean open;

    private RoleTokens(List<String> lines) {
        Map<Grant, List<String>> secrets = new EnumMap<>(Grant.class);
        for (String line : lines) {
            if (secretOf(line).isBlank()) { // "viewer:" would let in anyone who sends no token
                throw new IllegalArgumentException("a token line has a role but no secret: " + grantOf(line));
            }
            secrets.computeIfAbsent(grantOf(line), g -> new ArrayList<>()).add(secretOf(line));
        }
        secrets.forEach((g, s) -> byGrant.put(g, Tokens.of(s)));
        open = secrets.isEmpty();
    }

    public static RoleTokens of(List<String> lines) {
        return new RoleTokens(lines == null ? List.of() : lines);
    }

    /** True when no token is configured. */
    public boolean open() {
        return open;
    }

    /** The grant of a presented token, empty when it is not accepted. */
    public Optional<Grant> grant(String token) {
        if (open) {
            return Optional.of(Grant.OPERATOR);
        }
        Grant found = null;
        for (Map.Entry<Grant, Tokens> e : byGrant.entrySet()) {
            if (e.getValue().accepts(token)) { // every set is asked: timing says nothing of which matched
                found = e.getKey();
            }
        }
        return Optional.ofNullable(found);
    }

    /** The secret a client presents for a token file line (the role prefix removed). */
    public static String secretOf(String line) {
        int colon = line.indexOf(':');
        return colon > 0 && Grant.named(line.substring(0, colon)) != null ? line.substring(colon + 1) : line;
    }

    /** The secret of the first line whose grant may send frames, or "" when none is configured. */
    public static String firstSenderSecret(List<String> lines) {
        return lines == null ? "" : lines.stream().filter(l -> grantOf(l).maySend()).findFirst()
                .map(RoleTokens::secretOf).orElse("");
    }

    static Grant grantOf(String line) {
        int colon = line.indexOf(':');
        Grant g = colon > 0 ? Grant.named(line.substring(0, colon)) : null;
        return g == null ? Grant.OPERATOR : g;
    }

    @Override
    public String toString() {
        return open ? "RoleTokens[none]" : "RoleTokens" + byGrant.keySet();
    }
}
