package io.argus.client;

import io.argus.protocol.cluster.ClusterView;
import io.argus.protocol.cluster.CoordinatorEndpoint;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Fetches a stream's last checkpoint (an exported {@code StateBundle}) from a coordinator, for a
 * stream whose agent died: the new agent then continues its tracks and totals. Bounded at 1 s:
 * after that the stream goes on without it rather than wait.
 */
final class StateFetcher {
    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    private final ClusterView view;
    private final HttpClient http;

    StateFetcher(ClusterView view, io.argus.protocol.tls.TlsSettings tls) {
        this.view = view;
        this.http = io.argus.protocol.tls.TlsSettings.httpClient(tls, TIMEOUT);
    }

    static boolean stateful(List<String> tasks) {
        return tasks.contains("people") || tasks.contains("text");
    }

    /** The serialized bundle, or null when no coordinator has one. Never fails. */
    CompletableFuture<byte[]> fetchAsync(String stream) {
        List<CoordinatorEndpoint> cs = List.copyOf(view.coordinators().values());
        return next(cs, 0, stream);
    }

    private CompletableFuture<byte[]> next(List<CoordinatorEndpoint> cs, int i, String stream) {
        if (i >= cs.size()) {
            return CompletableFuture.completedFuture(null);
        }
        HttpRequest req = HttpRequest.newBuilder(URI.create(cs.get(i).httpBase() + "/v1/streams/" + stream + "/state"))
                .timeout(TIMEOUT).GET().build();
        return http.sendAsync(req, HttpResponse.BodyHandlers.ofByteArray())
                .thenCompose(r -> r.statusCode() == 200 ? CompletableFuture.completedFuture(r.body())
                        : r.statusCode() == 404 ? CompletableFuture.<byte[]>completedFuture(null) : next(cs, i + 1, stream))
                .exceptionallyCompose(e -> next(cs, i + 1, stream));
    }
}
