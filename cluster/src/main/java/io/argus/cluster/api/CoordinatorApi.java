package io.argus.cluster.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.argus.protocol.tls.TlsSettings;
import org.jspecify.annotations.Nullable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The one HTTP client for a coordinator's API, used by every caller (the agent's checkpoint
 * lookups, the client's state fetch on failover, the console's line and zone writes, the
 * {@code stream} command): each request carries the bearer token when one is configured, goes over
 * TLS when TLS settings are given, and is bounded in time. Before it existed, five ad-hoc callers
 * each decided for themselves, and two forgot the token (a failover lost its checkpoint and drawing
 * a line got 401 as soon as the coordinator had tokens).
 *
 * <p>Immutable; build with {@link #builder()}.
 */
public final class CoordinatorApi {
    /** Connect timeout when none is set. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
    /** Whole-request timeout when none is set. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String token;
    private final Duration requestTimeout;
    private final HttpClient http;

    private CoordinatorApi(Builder b) {
        this.token = b.token == null ? "" : b.token;
        this.requestTimeout = b.requestTimeout;
        this.http = TlsSettings.httpClient(b.tls, b.connectTimeout);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A request to {@code base + path} with the token, the timeout and, for a body, JSON. */
    public HttpRequest request(String base, String method, String path, byte @Nullable [] jsonBody) {
        String b = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(b + path)).timeout(requestTimeout);
        if (!token.isEmpty()) {
            r.header("Authorization", "Bearer " + token);
        }
        if (jsonBody != null) {
            r.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofByteArray(jsonBody));
        } else {
            r.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return r.build();
    }

    /** A JSON call; an error status becomes a {@link CoordinatorApiException} with the body's code and message. */
    public JsonNode call(String base, String method, String path, @Nullable Object body) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = http.send(request(base, method, path, body == null ? null : JSON.writeValueAsBytes(body)),
                HttpResponse.BodyHandlers.ofByteArray());
        return parse(r);
    }

    /** As {@link #call}, without blocking the caller (the console's JavaFX thread, say). */
    public CompletableFuture<JsonNode> callAsync(String base, String method, String path, Object body) {
        byte[] bytes;
        try {
            bytes = body == null ? null : JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
        return http.sendAsync(request(base, method, path, bytes), HttpResponse.BodyHandlers.ofByteArray())
                .thenApply(CoordinatorApi::parseUnchecked);
    }

    /**
     * A stream's newest checkpoint (the serialized {@code StateBundle}) from one coordinator:
     * empty when it holds none (404); an exception for anything else, so that the caller can ask
     * the next coordinator.
     */
    public CompletableFuture<Optional<byte[]>> checkpointAsync(String base, String stream) {
        return http.sendAsync(request(base, "GET", "/v1/streams/" + stream + "/state", null),
                HttpResponse.BodyHandlers.ofByteArray()).thenApply(r -> {
                    if (r.statusCode() == 200) {
                        return Optional.of(r.body());
                    }
                    if (r.statusCode() == 404) {
                        return Optional.empty();
                    }
                    throw error(r);
                });
    }

    private static JsonNode parseUnchecked(HttpResponse<byte[]> r) {
        try {
            return parse(r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode parse(HttpResponse<byte[]> r) throws IOException {
        if (r.statusCode() >= 300) {
            throw error(r);
        }
        return r.body().length == 0 ? JSON.createObjectNode() : JSON.readTree(r.body());
    }

    private static CoordinatorApiException error(HttpResponse<byte[]> r) {
        JsonNode n;
        try {
            n = r.body().length == 0 ? JSON.createObjectNode() : JSON.readTree(r.body());
        } catch (IOException e) {
            n = JSON.createObjectNode();
        }
        return new CoordinatorApiException(r.statusCode(), n.at("/error/code").asText("HTTP_" + r.statusCode()),
                n.at("/error/message").asText(""));
    }

    /** Settings of a {@link CoordinatorApi}; every one has a default. */
    public static final class Builder {
        private String token = "";
        private @Nullable TlsSettings tls;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;

        /** Bearer token sent with every request; default none. */
        public Builder token(String token) {
            this.token = token;
            return this;
        }

        /** Trust (and client certificate) for HTTPS coordinators; default null, plaintext. */
        public Builder tls(@Nullable TlsSettings tls) {
            this.tls = tls;
            return this;
        }

        /** Default {@link #DEFAULT_CONNECT_TIMEOUT}; 1 ms to 5 min. */
        public Builder connectTimeout(Duration d) {
            this.connectTimeout = checked(d);
            return this;
        }

        /** Default {@link #DEFAULT_REQUEST_TIMEOUT}; 1 ms to 5 min. */
        public Builder requestTimeout(Duration d) {
            this.requestTimeout = checked(d);
            return this;
        }

        public CoordinatorApi build() {
            return new CoordinatorApi(this);
        }

        private static Duration checked(Duration d) {
            if (d == null || d.toMillis() < 1 || d.compareTo(Duration.ofMinutes(5)) > 0) {
                throw new IllegalArgumentException("timeout must be 1 ms to 5 min: " + d);
            }
            return d;
        }
    }
}
