package io.argus.client;

import com.google.protobuf.ByteString;
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
 * stream whose agent died: the new agent then continues its tracks and totals. Each coordinator
 * gets 1 s to connect and answer.
 *
 * <p>Only a coordinator's answer says that there is no checkpoint. When none is registered, or
 * none answers, the checkpoint may well exist ({@link Lookup.Unreachable}): opening the stream
 * without it would start its state again, silently, after the client had forgotten the frames an
 * agent said it covers. The caller decides whether to wait ({@link StreamRoute}).
 */
final class StateFetcher {
    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    private final ClusterView view;
    private final CoordinatorApi api;

    /** What the coordinators said of a stream's checkpoint. */
    sealed interface Lookup {
        /** A coordinator's newest checkpoint of the stream (a serialized {@code StateBundle}). */
        record Found(ByteString bundle) implements Lookup {
        }

        /** Every coordinator that answered holds none, and at least one answered. */
        record None() implements Lookup {
        }

        /** No coordinator is registered, or none answered: the checkpoint may exist. */
        record Unreachable(String why) implements Lookup {
        }
    }

    /** @param token the client's token, which coordinators with tokens demand for checkpoints too */
    StateFetcher(ClusterView view, String token, @Nullable TlsSettings tls) {
        this.view = view;
        this.api = CoordinatorApi.builder().token(token).tls(tls).connectTimeout(TIMEOUT).requestTimeout(TIMEOUT).build();
    }

    static boolean stateful(List<String> tasks) {
        return tasks.contains("people") || tasks.contains("text");
    }

    /**
     * Asks each registered coordinator in turn until one has a checkpoint of the stream: one that
     * holds none (a coordinator with a store of its own that joined later) does not hide another's.
     * Never fails.
     */
    CompletableFuture<Lookup> fetchAsync(String stream) {
        List<CoordinatorEndpoint> cs = List.copyOf(view.coordinators().values());
        if (cs.isEmpty()) {
            return CompletableFuture.completedFuture(new Lookup.Unreachable("no coordinator is registered"));
        }
        return next(cs, 0, stream, false);
    }

    private CompletableFuture<Lookup> next(List<CoordinatorEndpoint> cs, int i, String stream, boolean answered) {
        if (i >= cs.size()) {
            return CompletableFuture.completedFuture(answered ? new Lookup.None()
                    : new Lookup.Unreachable("none of the " + cs.size() + " registered coordinators answered"));
        }
        return api.checkpointAsync(cs.get(i).httpBase(), stream)
                .<Lookup>thenApply(found -> found.isPresent() ? new Lookup.Found(ByteString.copyFrom(found.get()))
                        : new Lookup.None())
                .exceptionally(e -> new Lookup.Unreachable(String.valueOf(e))) // unreachable, refused, 5xx
                .thenCompose(l -> l instanceof Lookup.Found ? CompletableFuture.completedFuture(l)
                        : next(cs, i + 1, stream, answered || l instanceof Lookup.None));
    }
}
