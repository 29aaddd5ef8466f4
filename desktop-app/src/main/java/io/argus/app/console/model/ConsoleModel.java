package io.argus.app.console.model;

import io.argus.app.console.feed.ManagedFeed;
import io.argus.app.console.feed.SourceSpec;
import io.argus.app.console.feed.Feed;
import io.argus.app.console.feed.StreamFeed;
import io.argus.client.ArgusClient;
import io.argus.protocol.cluster.CoordinatorEndpoint;
import io.argus.protocol.json.ResultJson;
import io.argus.protocol.v1.Event;
import io.argus.protocol.v1.TaskRequest;
import io.argus.protocol.api.CoordinatorApi;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javax.net.ssl.SSLException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The console's root view model: the streams, the cluster, the alerts and the settings, and the
 * operator's actions on them. Everything observable is updated on the JavaFX thread by
 * {@link #pulse(long)}, called once per frame by the window; the feeds do their work on their own
 * threads and only publish into single-slot holders.
 */
public final class ConsoleModel implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ConsoleModel.class);
    static final int MAX_ALERTS = 1000;

    private final ArgusClient client;
    private final ClusterViewModel cluster;
    private final ObservableList<StreamViewModel> streams = FXCollections.observableArrayList();
    private final ObservableList<Alert> alerts = FXCollections.observableArrayList();
    // one read-only view each: JavaFX's unmodifiable wrappers listen weakly, a fresh wrapper per call
    // would be collected together with the listeners added to it
    private final ObservableList<StreamViewModel> streamsView = FXCollections.unmodifiableObservableList(streams);
    private final ObservableList<Alert> alertsView = FXCollections.unmodifiableObservableList(alerts);
    private final BooleanProperty alignedOverlays = new SimpleBooleanProperty(true);
    private final StringProperty layout = new SimpleStringProperty("auto");
    private final ConsoleSettings settings;
    private final Path settingsFile;
    private final CoordinatorApi api;
    private final Map<String, String> lastStatus = new LinkedHashMap<>();
    private final List<Consumer<Alert>> alertListeners = new ArrayList<>();
    private long lastClusterPulse;
    private final ReadOnlyStringWrapper totals = new ReadOnlyStringWrapper("");

    public ConsoleModel(ArgusClient client, Path settingsFile) {
        this.client = client;
        this.api = CoordinatorApi.builder().token(client.token()).tls(client.tls())
                .requestTimeout(Duration.ofSeconds(3)).build();
        this.cluster = new ClusterViewModel(client.directory(), client.view());
        this.settingsFile = settingsFile;
        this.settings = ConsoleSettings.load(settingsFile);
        alignedOverlays.set(settings.alignedOverlays);
        layout.set(settings.layout);
        alignedOverlays.addListener((o, a, b) -> {
            settings.alignedOverlays = b;
            save();
        });
        layout.addListener((o, a, b) -> {
            settings.layout = b;
            save();
        });
    }

    public ArgusClient client() {
        return client;
    }

    /** Restores the sources of the last session. */
    public void restore() {
        for (ConsoleSettings.Source s : new ArrayList<>(settings.sources)) {
            open(s);
        }
    }

    public ObservableList<StreamViewModel> streams() {
        return streamsView;
    }

    public ClusterViewModel cluster() {
        return cluster;
    }

    public ObservableList<Alert> alerts() {
        return alertsView;
    }

    public BooleanProperty alignedOverlaysProperty() {
        return alignedOverlays;
    }

    public StringProperty layoutProperty() {
        return layout;
    }

    public ConsoleSettings settings() {
        return settings;
    }

    public void onAlert(Consumer<Alert> l) {
        alertListeners.add(l);
    }

    /** Adds a source: a named stream with its tasks (saved for the next start). */
    public StreamViewModel addSource(String name, String source, boolean loop, List<String> tasks,
                                     Map<String, Map<String, String>> params) {
        if (find(name).isPresent()) {
            throw new IllegalArgumentException("a stream called '" + name + "' already exists");
        }
        ConsoleSettings.Source s = new ConsoleSettings.Source();
        s.name = name;
        s.source = source;
        s.loop = loop;
        s.tasks = new ArrayList<>(tasks);
        s.params = new LinkedHashMap<>(params);
        settings.sources.add(s);
        save();
        return open(s);
    }

    private ManagedFeed managedFeed(String name) {
        try {
            return new ManagedFeed(name, client.view(), client.directory(), client.tls(), client.token());
        } catch (SSLException e) {
            throw new IllegalArgumentException("cannot load TLS files: " + e.getMessage(), e);
        }
    }

    private StreamViewModel open(ConsoleSettings.Source s) {
        if ("managed".equals(s.source)) {
            StreamViewModel vm = new StreamViewModel(managedFeed(s.name));
            streams.add(vm);
            return vm;
        }
        List<TaskRequest> reqs = new ArrayList<>();
        for (String t : s.tasks) {
            reqs.add(TaskRequest.newBuilder().setName(t).putAllParams(s.params.getOrDefault(t, Map.of())).build());
        }
        StreamFeed feed = new StreamFeed(client, new SourceSpec(s.name, s.source, s.loop, reqs));
        StreamViewModel vm = new StreamViewModel(feed);
        streams.add(vm);
        return vm;
    }

    public void removeSource(String name) {
        find(name).ifPresent(vm -> {
            streams.remove(vm);
            vm.feed().close();
        });
        settings.sources.removeIf(s -> s.name.equals(name));
        save();
    }

    /** Restarts a stream with new tasks or parameters (task toggles, settings sheet). */
    public void reconfigure(String name, List<String> tasks, Map<String, Map<String, String>> params) {
        ConsoleSettings.Source s = settings.find(name);
        if (s == null) {
            return;
        }
        ConsoleSettings.Source copy = new ConsoleSettings.Source();
        copy.name = s.name;
        copy.source = s.source;
        copy.loop = s.loop;
        copy.occupancyAlert = s.occupancyAlert;
        copy.tasks = new ArrayList<>(tasks);
        copy.params = new LinkedHashMap<>(params);
        removeSource(name);
        settings.sources.add(copy);
        save();
        open(copy);
    }

    public Optional<StreamViewModel> find(String name) {
        return streams.stream().filter(v -> v.getName().equals(name)).findFirst();
    }

    /**
     * Sets (or replaces) a counting line. With a coordinator, through the central configuration,
     * so that every agent and console applies it at once; without one, as the stream's own parameter.
     * Returns a future that fails with the coordinator's message when it refuses the line.
     */
    public CompletableFuture<Void> setLine(String stream, String lineName, double x1, double y1, double x2, double y2) {
        String spec = String.format(Locale.ROOT, "%s:%.0f,%.0f,%.0f,%.0f", lineName, x1, y1, x2, y2);
        ConsoleSettings.Source s = settings.find(stream);
        Map<String, String> people = new LinkedHashMap<>(s == null ? Map.of() : s.params.getOrDefault("people", Map.of()));
        Map<String, String> central = new LinkedHashMap<>(client.view().config(stream).value().tasks()
                .getOrDefault("people", Map.of()));
        String existing = central.getOrDefault("lines", people.getOrDefault("lines", ""));
        List<String> kept = new ArrayList<>();
        for (String l : existing.split(";")) {
            if (!l.isBlank() && !l.startsWith(lineName + ":")) {
                kept.add(l);
            }
        }
        kept.add(spec);
        String lines = String.join(";", kept);
        Optional<CoordinatorEndpoint> coordinator = client.view().coordinators().values().stream().findFirst();
        if (coordinator.isPresent()) {
            central.put("lines", lines);
            Map<String, Object> body = Map.of("tasks", Map.of("people", central));
            return api.callAsync(coordinator.get().httpBase(), "PUT", "/v1/streams/" + stream + "/config", body)
                    .thenAccept(r -> { });
        }
        if (s != null) {
            people.put("lines", lines);
            Map<String, Map<String, String>> params = new LinkedHashMap<>(s.params);
            params.put("people", people);
            reconfigure(stream, s.tasks.contains("people") ? s.tasks : append(s.tasks, "people"), params);
        }
        return CompletableFuture.completedFuture(null);
    }

    private static List<String> append(List<String> l, String v) {
        List<String> out = new ArrayList<>(l);
        out.add(v);
        return out;
    }

    public void setOccupancyAlert(String stream, int threshold) {
        ConsoleSettings.Source s = settings.find(stream);
        if (s != null) {
            s.occupancyAlert = threshold;
            save();
        }
    }

    /** Once per frame, on the JavaFX thread. */
    public void pulse(long nowMs) {
        for (StreamViewModel vm : new ArrayList<>(streams)) {
            List<Event> fresh = vm.pulse(nowMs);
            for (Event e : fresh) {
                if (e.getType().equals("watch")) {
                    alert("WATCH", vm.getName(), "watch list: \"" + e.getAttributesMap().get("text") + "\" matches "
                            + e.getAttributesMap().get("pattern"));
                }
            }
            String st = vm.statusProperty().get();
            String before = lastStatus.put(vm.getName(), st);
            if ("OFFLINE".equals(st) && !"OFFLINE".equals(before)) {
                alert("OFFLINE", vm.getName(), vm.getName() + " is offline: " + vm.snapshot().detail());
            }
            ConsoleSettings.Source s = settings.find(vm.getName());
            if (s != null && s.occupancyAlert > 0 && vm.occupancyProperty().get() > s.occupancyAlert
                    && occupancyEdge(vm, s.occupancyAlert)) {
                alert("OCCUPANCY", vm.getName(), vm.getName() + ": " + vm.occupancyProperty().get()
                        + " people, over the limit of " + s.occupancyAlert);
            }
        }
        if (nowMs - lastClusterPulse >= 500) {
            lastClusterPulse = nowMs;
            for (String lost : cluster.pulse()) {
                alert("AGENT_LOST", "", "agent " + lost + " left the cluster");
            }
            totals.set(totals());
        }
    }

    /** Totals over every stream, for the status bar. */
    private String totals() {
        int live = 0;
        double in = 0;
        double out = 0;
        long dropped = 0;
        long crossedIn = 0;
        long crossedOut = 0;
        for (StreamViewModel vm : streams) {
            var s = vm.snapshot();
            live += "LIVE".equals(s.status()) ? 1 : 0;
            in += s.fpsIn();
            out += s.fpsOut();
            dropped += s.dropped();
            for (long[] c : s.lines().values()) {
                crossedIn += c[0];
                crossedOut += c[1];
            }
        }
        return String.format("%d stream(s), %d live | %.0f fps in, %.0f fps out, %d dropped | crossings %d in, %d out",
                streams.size(), live, in, out, dropped, crossedIn, crossedOut);
    }

    /** Totals over all streams (streams, live, frames/s in and out, dropped, crossings), updated twice a second. */
    public ReadOnlyStringProperty totalsProperty() {
        return totals.getReadOnlyProperty();
    }

    private final Map<String, Boolean> over = new LinkedHashMap<>();

    private boolean occupancyEdge(StreamViewModel vm, int limit) {
        boolean now = vm.occupancyProperty().get() > limit;
        Boolean was = over.put(vm.getName(), now);
        return now && (was == null || !was);
    }

    void alert(String kind, String stream, String message) {
        Alert a = new Alert(System.currentTimeMillis(), kind, stream, message);
        alerts.add(0, a);
        if (alerts.size() > MAX_ALERTS) {
            alerts.remove(MAX_ALERTS, alerts.size());
        }
        alertListeners.forEach(l -> l.accept(a));
    }

    /** Counts over time and events of every stream, as CSV. */
    public void exportCsv(Path file) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("kind,stream,time,frame,type,line,direction,track,text,value\n");
            for (StreamViewModel vm : streams) {
                for (StreamViewModel.CountSample c : vm.samples()) {
                    w.write(String.join(",", "count", vm.getName(), Instant.ofEpochMilli(c.timeMs()).toString(), "", "",
                            "", "", "", "", "in=" + c.in() + " out=" + c.out() + " occupancy=" + c.occupancy()) + "\n");
                }
                for (Event e : vm.events()) {
                    Map<String, String> a = e.getAttributesMap();
                    w.write(String.join(",", "event", vm.getName(), Instant.ofEpochMilli(e.getTimeUs() / 1000).toString(),
                            Long.toString(e.getSourceIndex()), e.getType(), csv(a.get("line")), csv(a.get("direction")),
                            csv(a.get("track")), csv(a.get("text")), csv(e.getId())) + "\n");
                }
            }
        }
    }

    static String csv(@Nullable String v) {
        if (v == null) {
            return "";
        }
        return v.contains(",") || v.contains("\"") || v.contains("\n") ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
    }

    private void save() {
        try {
            settings.save(settingsFile);
        } catch (IOException e) {
            log.warn("cannot save console settings to {}: {}", settingsFile, e.getMessage());
        }
    }

    @Override
    public void close() {
        for (StreamViewModel vm : streams) {
            vm.feed().close();
        }
    }
}
