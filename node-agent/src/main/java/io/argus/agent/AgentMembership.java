package io.argus.agent;

import io.argus.agent.managed.ManagedStreams;
import io.argus.agent.net.AgentRuntime;
import io.argus.agent.record.Checkpointer;
import io.argus.agent.record.StateClient;
import io.argus.agent.registry.AgentRegistration;
import io.argus.agent.registry.AssignmentOwnership;
import io.argus.agent.registry.OwnershipLease;
import io.argus.agent.state.StreamState;
import io.argus.cluster.AgentPayload;
import io.argus.cluster.SourcePolicies;
import org.apache.curator.framework.state.ConnectionState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What only an agent with ZooKeeper has: its registration, its ownership lease, its managed streams.
 * {@link #join} opens them in that order, each noted in the start-up's {@link OpenedResources}, and
 * ties the agent to the cluster's signals: a fence checkpoints every stream, a lost session drops
 * the local state. {@link NodeAgent#close} closes them.
 */
record AgentMembership(AgentRegistration registration, OwnershipLease lease, ManagedStreams managed) {
    private static final Logger log = LoggerFactory.getLogger(AgentMembership.class);

    /** Registers the agent, takes its ownership lease and starts its managed streams. */
    static AgentMembership join(AgentRuntime rt, AgentCluster cluster, AgentPayload payload,
                                AssignmentOwnership ownership, Checkpointer checkpointer, OpenedResources opened)
            throws Exception {
        AgentConfig config = rt.config();
        AgentRegistration registration = new AgentRegistration(cluster.curator(), cluster.paths(), rt.agentId(), payload,
                rt.admission(), config.zkSessionTimeoutMs());
        opened.add("registration", registration::close);
        registration.start();
        OwnershipLease lease = new OwnershipLease(cluster.curator(), cluster.agentsPath() + "/" + rt.agentId(),
                config.zkSessionTimeoutMs()).start(config.zkSessionTimeoutMs());
        opened.add("ownership lease", lease::close);
        ownership.lease(lease);
        // frames a client asks the agent to read from a recording: the managed streams' allow-list
        rt.pipeline().files().policy(() -> SourcePolicies.read(cluster.curator(), cluster.paths()));
        ManagedStreams managed = new ManagedStreams(rt, cluster.view(),
                new StateClient(cluster.view(), config.coordinatorToken(), config.tls()), lease,
                () -> SourcePolicies.read(cluster.curator(), cluster.paths()), cluster.curator(), cluster.paths());
        opened.add("managed streams", managed::close);
        managed.start();
        // hand the streams back: their last state goes to the coordinators (over the frame
        // protocol, which may still work while ZooKeeper does not) for whoever takes them over
        AgentRuntime.Admission admission = rt.admission();
        admission.onFenceChange(() -> {
            if (admission.fenced()) {
                checkpointer.all();
            }
        });
        // once the session is gone, other agents may have continued these streams: the local
        // state is stale, and a stream that comes back here must restore from the coordinators
        cluster.curator().getConnectionStateListenable().addListener((c, state) -> {
            if (state == ConnectionState.LOST) {
                for (StreamState st : rt.states().all()) {
                    rt.states().drop(st.streamId());
                }
                log.warn("ZooKeeper session lost: dropped local state of every stream");
            }
        });
        return new AgentMembership(registration, lease, managed);
    }
}
