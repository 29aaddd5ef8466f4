package io.argus.cluster;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import org.jspecify.annotations.Nullable;

/**
 * A live coordinator, ephemeral at {@code /argus/coordinator/endpoints/{id}}.
 *
 * @param id        coordinator id
 * @param host      address agents and clients use
 * @param httpPort  HTTP API port
 * @param eventPort argus protocol port where agents publish events
 * @param tls       both ports speak TLS (HTTPS on the HTTP port); absent in old records: false
 * @param store     identity of the event store it writes to, the same for coordinators sharing one
 *                  store; absent in old records: null, read as a store of its own (see {@link #storeKey()})
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CoordinatorEndpoint(String id, String host, int httpPort, int eventPort, boolean tls, @Nullable String store) {
    public CoordinatorEndpoint(String id, String host, int httpPort, int eventPort) {
        this(id, host, httpPort, eventPort, false, null);
    }

    public CoordinatorEndpoint(String id, String host, int httpPort, int eventPort, boolean tls) {
        this(id, host, httpPort, eventPort, tls, null);
    }

    /**
     * The store this coordinator's acknowledgements vouch for: events it acknowledged are in that
     * store, and events it did not may be handed to any coordinator with the same key.
     */
    public String storeKey() {
        return store == null || store.isEmpty() ? "coordinator:" + id : store;
    }

    public String httpBase() {
        return (tls ? "https://" : "http://") + host + ":" + httpPort;
    }
}
