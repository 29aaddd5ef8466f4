package io.argus.agent.record;

import io.argus.protocol.cluster.ClusterView;
import io.argus.protocol.cluster.CoordinatorEndpoint;
import io.argus.protocol.v1.StateBundle;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * Fetches a stream's last checkpoint from a coordinator, for a stream that moves to this agent.
 * Bounded: 1 s to connect and answer; after that the stream starts from scratch rather than wait.
 */
public final class StateClient {
    static final Duration TIMEOUT = Duration.ofSeconds(1);
    private final ClusterView view;
    private final HttpClient http;
    private final String token;

    /** @param tls trust and client certificate for HTTPS coordinators; null for plaintext */
    public StateClient(ClusterView view, String token, io.argus.protocol.tls.TlsSettings tls) {
        this.view = view;
        this.token = token;
        this.http = io.argus.protocol.tls.TlsSettings.httpClient(tls, TIMEOUT);
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
                HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(c.httpBase() + "/v1/streams/" + stream + "/state"))
                        .timeout(TIMEOUT).GET();
                if (!token.isEmpty()) {
                    req.header("Authorization", "Bearer " + token);
                }
                HttpResponse<byte[]> r = http.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
                if (r.statusCode() == 200) {
                    return new Lookup.Found(StateBundle.parseFrom(r.body()));
                }
                if (r.statusCode() == 404) {
                    return new Lookup.None();
                }
            } catch (Exception e) {
                // try the next coordinator
            }
        }
        return new Lookup.Unreachable();
    }
}
