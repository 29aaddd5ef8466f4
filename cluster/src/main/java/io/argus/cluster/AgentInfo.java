package io.argus.cluster;

import io.argus.protocol.client.AgentConnection;
import io.argus.protocol.client.ClientOptions;
import io.argus.protocol.client.ConnectionListener;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;

/**
 * A live agent as seen through service discovery.
 *
 * @param id      the agent id (its discovery instance id)
 * @param payload what the agent published
 */
public record AgentInfo(String id, AgentPayload payload) {

    public InetSocketAddress address() {
        return InetSocketAddress.createUnresolved(payload.host(), payload.port());
    }

    /**
     * Connects to this agent at the address it registered; with TLS its certificate must also name this
     * agent's id ({@link AgentConnection#connect(InetSocketAddress, String, ClientOptions, ConnectionListener)}).
     */
    public CompletableFuture<AgentConnection> connect(ClientOptions options, ConnectionListener listener) {
        return AgentConnection.connect(new InetSocketAddress(payload.host(), payload.port()), id, options, listener);
    }

    public boolean can(Iterable<String> tasks) {
        for (String t : tasks) {
            if (!payload.capabilities().contains(t)) {
                return false;
            }
        }
        return true;
    }

    /** Assignment weight: the worker count. */
    public double weight() {
        // Static on purpose: a weight that followed measured speed would move streams whenever
        // the load changed. Load is balanced separately, with hysteresis, by the coordinator.
        double w = payload.workers();
        return Math.max(w, 1e-3);
    }
}
