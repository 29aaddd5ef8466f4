package io.argus.app.console.model;

import io.argus.cluster.AgentDirectory;
import io.argus.cluster.AgentInfo;
import io.argus.cluster.Assignment;
import io.argus.cluster.ClusterView;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The cluster as the console shows it: agents with their load and streams, and the leader. */
public final class ClusterViewModel {
    public record AgentRow(String id, String host, String capabilities, String load, String streams, String health) {
    }

    private final AgentDirectory directory;
    private final ClusterView view;
    private final ObservableList<AgentRow> agents = FXCollections.observableArrayList();
    private final ObservableList<AgentRow> agentsView = FXCollections.unmodifiableObservableList(agents);
    private final ReadOnlyStringWrapper leader = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper health = new ReadOnlyStringWrapper("connecting");
    private Set<String> known = new HashSet<>();

    ClusterViewModel(AgentDirectory directory, ClusterView view) {
        this.directory = directory;
        this.view = view;
    }

    /** Refreshes from the ZooKeeper caches (cheap reads); returns the agents that disappeared. */
    List<String> pulse() {
        Map<String, Assignment> assignments = view.assignments();
        List<AgentRow> rows = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        long now = System.currentTimeMillis();
        for (AgentInfo a : directory.allAgents()) {
            ids.add(a.id());
            List<String> streams = new ArrayList<>();
            assignments.forEach((s, as) -> {
                if (as.agent().equals(a.id())) {
                    streams.add(s);
                }
            });
            var l = a.payload().load();
            long age = now - a.payload().updatedAtMs();
            String h = a.payload().draining() ? "draining" : age > 5_000 ? "stale (" + age / 1000 + " s)" : "healthy";
            rows.add(new AgentRow(a.id(), a.payload().host() + ":" + a.payload().port(),
                    String.join(",", a.payload().capabilities()),
                    String.format("%.0f%%  %.1f fps  queue %d", 100 * l.utilisation(), l.framesPerSecond(), l.queueDepth()),
                    String.join(",", streams), h));
        }
        rows.sort((x, y) -> x.id().compareTo(y.id()));
        if (!rows.equals(new ArrayList<>(agents))) {
            agents.setAll(rows);
        }
        String leaderId = view.coordinators().isEmpty() ? "none" : String.join(",", view.coordinators().keySet());
        leader.set(leaderId);
        health.set(rows.isEmpty() ? "no agents" : rows.size() + " agent(s), coordinators: " + leaderId);
        List<String> lost = new ArrayList<>();
        for (String k : known) {
            if (!ids.contains(k)) {
                lost.add(k);
            }
        }
        known = ids;
        return lost;
    }

    public ObservableList<AgentRow> agents() {
        return agentsView;
    }

    public ReadOnlyStringProperty leaderProperty() {
        return leader.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty healthProperty() {
        return health.getReadOnlyProperty();
    }
}
