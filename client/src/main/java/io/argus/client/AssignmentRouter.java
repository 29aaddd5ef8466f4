package io.argus.client;

import io.argus.cluster.AgentDirectory;
import io.argus.cluster.AgentInfo;
import io.argus.cluster.Assignment;
import io.argus.cluster.ClusterView;
import io.argus.cluster.Rendezvous;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Routes streams where the coordinator assigned them ({@code /argus/assignments}), and otherwise
 * (no coordinator yet, no leader, or the assigned agent is gone) by the same weighted rendezvous
 * function the coordinator uses, so a dead coordinator never stops processing and a client without
 * one lands where the coordinator would put it.
 */
public final class AssignmentRouter implements StreamRouter {
    private final AgentDirectory directory;
    private final ClusterView view;

    public AssignmentRouter(AgentDirectory directory, ClusterView view) {
        this.directory = directory;
        this.view = view;
    }

    @Override
    public List<AgentInfo> route(String streamId, Collection<String> tasks) {
        List<AgentInfo> capable = directory.agents().stream().filter(a -> a.can(tasks)).toList();
        List<AgentInfo> ranked = new ArrayList<>(Rendezvous.rankAgents(streamId, capable));
        Optional<Assignment> a = view.assignment(streamId);
        if (a.isPresent()) {
            for (int i = 0; i < ranked.size(); i++) {
                if (ranked.get(i).id().equals(a.get().agent())) {
                    ranked.add(0, ranked.remove(i));
                    break;
                }
            }
        }
        return ranked;
    }

    @Override
    public Optional<String> preferred(String streamId) {
        Optional<Assignment> a = view.assignment(streamId);
        if (a.isEmpty()) {
            return Optional.empty();
        }
        boolean live = directory.agents().stream().anyMatch(x -> x.id().equals(a.get().agent()));
        return live ? Optional.of(a.get().agent()) : Optional.empty();
    }

    @Override
    public void addListener(Runnable onChange) {
        directory.addListener(onChange);
        view.addListener(onChange);
    }

    @Override
    public void removeListener(Runnable onChange) {
        directory.removeListener(onChange);
        view.removeListener(onChange);
    }
}
