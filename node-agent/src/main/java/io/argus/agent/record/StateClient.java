package io.argus.agent.record;

import io.argus.cluster.api.CoordinatorApi;
import io.argus.cluster.ClusterView;
import io.argus.cluster.CoordinatorEndpoint;
import io.argus.protocol.tls.TlsSettings;
import io.argus.protocol.v1.StateBundle;
import org.jspecify.annotations.Nullable;

import java.time.Duration;
import java.util.Optional;

/**
 * Fetches a stream's last checkpoint from a coordinator, for a stream that moves to this agent.
 * Bounded: 1 s to connect and answer; after that the stream starts from scratch rather than wait.
 */
public final class StateClient {
    static final Duration TIMEOUT = Duration.ofSeconds(1);
    private final ClusterView view;
    private final CoordinatorApi api;

    /** @param tls trust and client certificate for HTTPS coordinators; null for plaintext */
    public StateClient(ClusterView view, String token, @Nullable TlsSettings tls) {
        this.view = view;
        this.api = CoordinatorApi.builder().token(token).tls(tls).connectTimeout(TIMEOUT).requestTimeout(TIMEOUT).build();
    }

    public Optional<StateBundle> fetch(String stream) {
        return lookup(stream) instanceof Lookup.Found f ? Optional.of(f.bundle()) : Optional.empty();
    }

    /** What a coordinator said of a stream's checkpoint. */
    public sealed interface Lookup {
        /** The stream's newest checkpoint. */
        record Found(StateBundle bundle) implements Lookup {
        }

        /** A coordinator answered that it holds none, or the cluster has no coordinator to hold one. */
        record None() implements Lookup {
        }

        /** Coordinators are registered, but none answered: the checkpoint may exist. */
        record Unreachable() implements Lookup {
        }
    }

    /** Asks each registered coordinator in turn, {@link #TIMEOUT} each, until one answers. */
    public Lookup lookup(String stream) {
        if (view.coordinators().isEmpty()) {
            return new Lookup.None();
        }
        for (CoordinatorEndpoint c : view.coordinators().values()) {
            try {
                Optional<byte[]> found = api.checkpointAsync(c.httpBase(), stream).get();
                return found.isPresent() ? new Lookup.Found(StateBundle.parseFrom(found.get())) : new Lookup.None();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Lookup.Unreachable();
            } catch (Exception e) {
                // try the next coordinator
            }
        }
        return new Lookup.Unreachable();
    }
}
