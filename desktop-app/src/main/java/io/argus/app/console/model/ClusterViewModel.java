package io.argus.app.console.model;

import io.argus.app.console.feed.AgentAnswers;
import io.argus.cluster.AgentDirectory;
import io.argus.cluster.AgentLoad;
import io.argus.cluster.ClusterView;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The cluster as the console shows it: one row per agent, lost ones included, with its load,
 * streams, health (from the {@link HealthModel} every view shares), and the latency and shed rate of
 * its answers as this console measured them; and the coordinators.
 */
public final class ClusterViewModel {
    /**
     * One agent's row.
     *
     * @param health   healthy, shedding, unresponsive (N s), draining, or lost at HH:mm:ss
     * @param p50      median capture-to-answer latency over its last answers ("–" without any)
     * @param p99      99th percentile of the same
     * @param shed     share of its last answers that were load shed
     * @param lost     true while it is listed as lost (it can be dismissed)
     */
    public record AgentRow(String id, String host, String capabilities, String load, String streams, String health,
                           String p50, String p99, String shed, boolean lost) {
    }

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

    private final AgentDirectory directory;
    private final ClusterView view;
    private final HealthModel health;
    private final ObservableList<AgentRow> agents = FXCollections.observableArrayList();
    private final ObservableList<AgentRow> agentsView = FXCollections.unmodifiableObservableList(agents);
    private final ReadOnlyStringWrapper leader = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper("connecting");

    ClusterViewModel(AgentDirectory directory, ClusterView view, HealthModel health) {
        this.directory = directory;
        this.view = view;
        this.health = health;
    }

    /** Reads the membership from the ZooKeeper caches (cheap); returns the agents that have just been lost. */
    List<String> membership(long nowMs) {
        return health.membership(nowMs, directory.allAgents());
    }

    /** Judges the agents after the streams were judged, and shows the result. */
    void judge(long nowMs, List<StreamViewModel> streams, AgentAnswers answers) {
        health.judge(nowMs, streams, view.assignments(), answers);
        show(nowMs);
        String coordinators = view.coordinators().isEmpty() ? "none" : String.join(",", view.coordinators().keySet());
        leader.set(coordinators);
        summary.set(health.summary().text() + " | coordinators: " + coordinators);
    }

    private void show(long nowMs) {
        List<AgentRow> rows = new ArrayList<>();
        for (HealthModel.AgentHealth a : health.agents()) {
            var p = a.info().payload();
            var l = p.load();
            String h = switch (a.state()) {
                case LOST -> "lost at " + TIME.format(Instant.ofEpochMilli(a.sinceMs()));
                case UNRESPONSIVE -> "unresponsive (" + (nowMs - p.updatedAtMs()) / 1000 + " s)";
                default -> a.state().name().toLowerCase(Locale.ROOT);
            };
            AgentAnswers.Figures f = a.answers();
            rows.add(new AgentRow(a.id(), p.host() + ":" + p.port(), String.join(",", p.capabilities()),
                    a.state() == HealthModel.AgentState.LOST ? "–"
                            : load(l),
                    String.join(",", a.streams()), h, ms(f.p50Ms()), ms(f.p99Ms()),
                    f.answers() == 0 ? "–" : String.format("%.1f%%", 100 * f.shedRate()),
                    a.state() == HealthModel.AgentState.LOST));
        }
        if (!rows.equals(new ArrayList<>(agents))) {
            agents.setAll(rows);
        }
    }

    /**
     * The process's CPU share, then the balancer's utilisation (queued frames against what its
     * workers take at once) and frames per second. The column once showed only the utilisation as
     * a bare "0%" while the agent used half the machine's CPU: a queue that drains is not an idle agent.
     */
    static String load(AgentLoad l) {
        String cpu = l.cpu() < 0 ? "CPU –" : String.format(Locale.ROOT, "CPU %.0f%%", 100 * l.cpu());
        return String.format(Locale.ROOT, "%s  busy %.0f%%  %.1f fps  queue %d", cpu, 100 * l.utilisation(),
                l.framesPerSecond(), l.queueDepth());
    }

    private static String ms(double v) {
        return Double.isNaN(v) ? "–" : String.format("%.0f ms", v);
    }

    /** Removes a lost agent's row (an agent still present is not removed). */
    public void dismiss(String id) {
        if (health.dismiss(id)) {
            agents.removeIf(r -> r.id().equals(id));
        }
    }

    public ObservableList<AgentRow> agents() {
        return agentsView;
    }

    public ReadOnlyStringProperty leaderProperty() {
        return leader.getReadOnlyProperty();
    }

    /** Streams and agents by health, and the coordinators: the status bar's text. */
    public ReadOnlyStringProperty healthProperty() {
        return summary.getReadOnlyProperty();
    }
}
