package io.argus.client;

import io.argus.cluster.AgentDirectory;
import io.argus.cluster.AgentInfo;
import io.argus.cluster.Rendezvous;

import java.util.Collection;
import java.util.List;

/**
 * Routes by weighted rendezvous hashing over the live agents that can run the tasks: the same
 * function the coordinator uses, so a client without a coordinator lands where the coordinator
 * would have put it.
 */
public final class RendezvousRouter implements StreamRouter {
    private final AgentDirectory directory;

    public RendezvousRouter(AgentDirectory directory) {
        this.directory = directory;
    }

    @Override
    public List<AgentInfo> route(String streamId, Collection<String> tasks) {
        List<AgentInfo> capable = directory.agents().stream().filter(a -> a.can(tasks)).toList();
        return Rendezvous.rankAgents(streamId, capable);
    }

    @Override
    public void addListener(Runnable onChange) {
        directory.addListener(onChange);
    }

    @Override
    public void removeListener(Runnable onChange) {
        directory.removeListener(onChange);
    }
}
