package io.argus.protocol.cluster;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A live coordinator, ephemeral at {@code /argus/coordinator/endpoints/{id}}.
 *
 * @param id        coordinator id
 * @param host      address agents and clients use
 * @param httpPort  HTTP API port
 * @param eventPort argus protocol port where agents publish events
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CoordinatorEndpoint(String id, String host, int httpPort, int eventPort) {
    public String httpBase() {
        return "http://" + host + ":" + httpPort;
    }
}
