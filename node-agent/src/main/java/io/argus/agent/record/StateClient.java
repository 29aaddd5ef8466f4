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
 * Fetches a managed stream's last checkpoint from a coordinator, for a stream that starts or moves
 * to this agent. Each coordinator gets {@link #TIMEOUT} to connect and answer.
 *
 * <p>Only a coordinator's answer says that there is no checkpoint. A managed stream is defined and
 * assigned through a coordinator, so a cluster that runs one has coordinators; when none is
 * registered (all restarting, or all cut off with this agent by a ZooKeeper outage) the checkpoint
 * may well exist, and starting at frame 0 would apply the recording again from its beginning. The
 * caller waits instead ({@link Lookup.Unreachable}).
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

    /** What a coordinator said of a stream's checkpoint. */
    public sealed interface Lookup {
        /** The stream's newest checkpoint. */
        record Found(StateBundle bundle) implements Lookup {
        }

        /** A coordinator answered that it holds none. */
        record None() implements Lookup {
        }

        /** No coordinator is registered, or none answered: the checkpoint may exist. */
        record Unreachable(String why) implements Lookup {
        }
    }

    /** Asks each registered coordinator in turn, {@link #TIMEOUT} each, until one answers. */
    public Lookup lookup(String stream) {
        if (view.coordinators().isEmpty()) {
            return new Lookup.Unreachable("no coordinator is registered");
        }
        for (CoordinatorEndpoint c : view.coordinators().values()) {
            try {
                Optional<byte[]> found = api.checkpointAsync(c.httpBase(), stream).get();
                return found.isPresent() ? new Lookup.Found(StateBundle.parseFrom(found.get())) : new Lookup.None();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Lookup.Unreachable("interrupted");
            } catch (Exception e) {
                // try the next coordinator
            }
        }
        return new Lookup.Unreachable("none of the " + view.coordinators().size() + " registered coordinators answered");
    }
}
