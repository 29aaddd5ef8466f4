package io.argus.client;

import io.argus.cluster.api.CoordinatorApi;
import io.argus.cluster.ClusterView;
import io.argus.cluster.CoordinatorEndpoint;
import io.argus.protocol.tls.TlsSettings;
import org.jspecify.annotations.Nullable;

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
    private final CoordinatorApi api;

    /** @param token the client's token, which coordinators with tokens demand for checkpoints too */
    StateFetcher(ClusterView view, String token, @Nullable TlsSettings tls) {
        this.view = view;
        this.api = CoordinatorApi.builder().token(token).tls(tls).connectTimeout(TIMEOUT).requestTimeout(TIMEOUT).build();
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
        return api.checkpointAsync(cs.get(i).httpBase(), stream)
                .thenApply(found -> found.orElse(null))
                .exceptionallyCompose(e -> next(cs, i + 1, stream)); // unreachable, refused, 5xx: the next one
    }
}
