package io.argus.cluster;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.util.List;

/**
 * What an agent publishes about itself in service discovery (JSON). The load part is refreshed
 * by the agent at least every two seconds; {@code updatedAtMs} says how fresh it is.
 *
 * @param host            address clients connect to
 * @param port            frame protocol port
 * @param metricsPort     HTTP port serving /metrics, 0 if none
 * @param protocolVersion argus wire protocol version
 * @param capabilities    task names the agent can run
 * @param workers         size of its worker pool
 * @param capacityFps     measured or estimated frames per second it can process (weight for assignment)
 * @param load            current load
 * @param startedAtMs     process start time, epoch milliseconds
 * @param updatedAtMs     time of this payload, epoch milliseconds
 * @param draining        true once the agent is shutting down or fenced: send it nothing new
 * @param version         agent software version
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AgentPayload(
        String host,
        int port,
        int metricsPort,
        int protocolVersion,
        List<String> capabilities,
        int workers,
        double capacityFps,
        AgentLoad load,
        long startedAtMs,
        long updatedAtMs,
        boolean draining,
        String version) {

    public AgentPayload {
        capabilities = capabilities == null ? List.of() : List.copyOf(capabilities);
        load = load == null ? AgentLoad.IDLE : load;
    }

    public AgentPayload withLoad(AgentLoad newLoad, long nowMs) {
        return new AgentPayload(host, port, metricsPort, protocolVersion, capabilities, workers, capacityFps,
                newLoad, startedAtMs, nowMs, draining, version);
    }

    public AgentPayload withDraining(boolean value, long nowMs) {
        return new AgentPayload(host, port, metricsPort, protocolVersion, capabilities, workers, capacityFps,
                load, startedAtMs, nowMs, value, version);
    }
}
