package io.argus.protocol.cluster;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A live coordinator, ephemeral at {@code /argus/coordinator/endpoints/{id}}.
 *
 * @param id        coordinator id
 * @param host      address agents and clients use
 * @param httpPort  HTTP API port
 * @param eventPort argus protocol port where agents publish events
 * @param tls       both ports speak TLS (HTTPS on the HTTP port); absent in old records: false
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CoordinatorEndpoint(String id, String host, int httpPort, int eventPort, boolean tls) {
    public CoordinatorEndpoint(String id, String host, int httpPort, int eventPort) {
        this(id, host, httpPort, eventPort, false);
    }

    public String httpBase() {
        return (tls ? "https://" : "http://") + host + ":" + httpPort;
    }
}
