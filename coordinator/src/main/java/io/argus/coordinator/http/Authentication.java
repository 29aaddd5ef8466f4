package io.argus.coordinator.http;

import io.argus.protocol.auth.Grant;
import io.argus.protocol.auth.RoleTokens;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import org.jspecify.annotations.Nullable;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The HTTP API's bearer-token check and role check. Lines of the token file are
 * {@code ROLE:SECRET} ({@link Grant}) or a bare secret (an operator's): a missing or unknown token
 * is 401 {@code UNAUTHENTICATED}; a viewer may read (GET, HEAD) but not change anything, send
 * images, or export a stream's state (403 {@code PERMISSION_DENIED}). {@code /healthz} and
 * {@code /metrics} need no token.
 */
final class Authentication {
    private final RoleTokens roles;
    private final MeterRegistry metrics;

    Authentication(List<String> tokens, MeterRegistry metrics) {
        this.roles = RoleTokens.of(tokens);
        this.metrics = metrics;
    }

    /** Routes anyone may call, token or not (probes and scrapers). */
    static boolean open(String path) {
        return path.equals("/healthz") || path.equals("/metrics");
    }

    /**
     * Checks the bearer token; returns the principal it identifies (a digest of the token, so the
     * token itself is kept nowhere else), or null when the API is open or the route needs no token.
     */
    @Nullable String authorise(FullHttpRequest req, HttpMethod m, String path) {
        if (open(path) || roles.open()) {
            return null;
        }
        String h = req.headers().get(HttpHeaderNames.AUTHORIZATION, "");
        String token = h.startsWith("Bearer ") ? h.substring(7) : "";
        Grant grant = roles.grant(token)
                .orElseThrow(() -> new ApiException(401, "UNAUTHENTICATED", "missing or invalid bearer token"));
        if (!grant.maySend() && changesOrExports(m, path)) {
            metrics.counter("argus.http.denied", "route", MetricLabels.route(path)).increment();
            throw new ApiException(403, "PERMISSION_DENIED", "a viewer token may read counts, events and the cluster's "
                    + "state; " + MetricLabels.method(m) + " on this resource needs an operator, agent or admin token");
        }
        return principal(token);
    }

    /**
     * What a viewer may not do: anything but a read, and reading a stream's exported state (its
     * tracks and totals: what a stranger took in the probe by releasing a stream).
     */
    static boolean changesOrExports(HttpMethod m, String path) {
        return !(HttpMethod.GET.equals(m) || HttpMethod.HEAD.equals(m)) || path.endsWith("/state");
    }

    private static String principal(String token) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return "token:" + HexFormat.of().formatHex(h, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every Java has SHA-256
        }
    }
}
