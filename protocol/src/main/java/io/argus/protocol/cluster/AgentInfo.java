package io.argus.protocol.cluster;

import java.net.InetSocketAddress;

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
