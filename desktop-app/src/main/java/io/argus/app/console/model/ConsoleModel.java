package io.argus.app.console.model;

import io.argus.app.console.feed.AgentAnswers;
import io.argus.client.ArgusClient;
import io.argus.protocol.v1.Event;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The console's root view model: the streams, the cluster, the alerts and the settings, and the
 * operator's actions on them. Everything observable is updated on the JavaFX thread by
 * {@link #pulse(long)}, called once per frame by the window; the feeds do their work on their own
 * threads and only publish into single-slot holders. The alerts are {@link ConsoleAlerts}', the
 * calls to the cluster (feeds, central configuration) {@link StreamAdmin}'s, the export
 * {@link CsvExport}'s.
 */
public final class ConsoleModel implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ConsoleModel.class);

    private final ArgusClient client;
    private final ClusterViewModel cluster;
    /** Latency and shedding of every agent's answers, recorded by the feeds. */
    private final AgentAnswers answers = new AgentAnswers();
    private final HealthModel health = new HealthModel();
    private final ObservableList<StreamViewModel> streams = FXCollections.observableArrayList();
    // one read-only view: JavaFX's unmodifiable wrappers listen weakly, a fresh wrapper per call
    // would be collected together with the listeners added to it
    private final ObservableList<StreamViewModel> streamsView = FXCollections.unmodifiableObservableList(streams);
    private final ConsoleAlerts alerts = new ConsoleAlerts();
    private final AlertsViewModel alertsViewModel = new AlertsViewModel(alerts);
    private final BooleanProperty alignedOverlays = new SimpleBooleanProperty(true);
    private final StringProperty layout = new SimpleStringProperty("auto");
    private final ConsoleSettings settings;
    private final Path settingsFile;
    private final StreamAdmin admin;
    private long lastClusterPulse;
    private final ReadOnlyStringWrapper totals = new ReadOnlyStringWrapper("");
    /** Reads the coordinator's history and writes exports: blocking HTTP and disk, off the JavaFX thread. */
    private final java.util.concurrent.ExecutorService exports = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "argus-console-export");
        t.setDaemon(true);
        return t;
    });

    private final CountsChartModel countsChart;

    public ConsoleModel(ArgusClient client, Path settingsFile) {
        this.client = client;
        this.admin = new StreamAdmin(client, answers);
        this.countsChart = new CountsChartModel(admin.api(), admin::coordinatorBase, javafx.application.Platform::runLater,
                System::currentTimeMillis);
        this.cluster = new ClusterViewModel(client.directory(), client.view(), health);
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
        return alerts.view();
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

    /** The alerts' filter and acknowledgement, for the Alerts tab. */
    public AlertsViewModel alertsView() {
        return alertsViewModel;
    }

    /** Detail's counts per bucket and time range, from the coordinator's history when there is one. */
    public CountsChartModel countsChart() {
        return countsChart;
    }

    /** Called once per alert start and end (what a notification announces). */
    public void onAlertChange(Consumer<AlertChange> l) {
        alerts.onChange(l);
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

    private StreamViewModel open(ConsoleSettings.Source s) {
        StreamViewModel vm = new StreamViewModel(admin.open(s));
        streams.add(vm);
        return vm;
    }

    /** Shows a feed the caller made, without a saved source (the tests' scripted feeds). */
    StreamViewModel attach(io.argus.app.console.feed.Feed feed) {
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

    /** Restarts a stream with new tasks or parameters (task toggles, settings sheet), in its place. */
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
        copy.crossingRateAlert = s.crossingRateAlert;
        copy.tasks = new ArrayList<>(tasks);
        copy.params = new LinkedHashMap<>(params);
        // in its place: on the wall, in the settings file and in the tile order (keys 1-9)
        settings.sources.set(settings.sources.indexOf(s), copy);
        save();
        StreamViewModel fresh = new StreamViewModel(admin.open(copy));
        Optional<StreamViewModel> old = find(name);
        if (old.isPresent()) {
            streams.set(streams.indexOf(old.get()), fresh);
            old.get().feed().close();
        } else {
            streams.add(fresh);
        }
    }

    public Optional<StreamViewModel> find(String name) {
        return streams.stream().filter(v -> v.getName().equals(name)).findFirst();
    }

    /**
     * The lines and zones the stream counts with: the central configuration's where it sets them
     * (it wins over the stream's own parameters, at the agent too), else the stream's own. A
     * specification the task would refuse shows as no lines or zones, as the agent then counts none.
     */
    public Geometry activeGeometry(String stream) {
        ConsoleSettings.Source s = settings.find(stream);
        Map<String, String> own = s == null ? Map.of() : s.params.getOrDefault("people", Map.of());
        Map<String, String> central = admin.centralPeople(stream);
        try {
            return Geometry.parse(central.getOrDefault("lines", own.getOrDefault("lines", "")),
                    central.getOrDefault("zones", own.getOrDefault("zones", "")));
        } catch (io.argus.task.api.TaskException e) {
            return Geometry.EMPTY;
        }
    }

    /**
     * Makes {@code g} the stream's lines and zones, all in one change. With a coordinator, through
     * the central configuration (versioned: it survives restarts and reaches the agent live, which
     * keeps the state of every line and zone whose name and geometry did not change); without one,
     * as the stream's own parameters, which restarts the stream in its place on the wall (its
     * counts begin again). Returns a future of whether it was applied live (through a coordinator),
     * which fails with the coordinator's message when it refuses them.
     */
    public CompletableFuture<Boolean> setGeometry(String stream, Geometry g) {
        Map<String, String> central = admin.centralPeople(stream);
        central.put("lines", g.linesSpec());
        central.put("zones", g.zonesSpec());
        Optional<CompletableFuture<Void>> put = admin.putCentralPeople(stream, central);
        if (put.isPresent()) {
            return put.get().thenApply(v -> true);
        }
        ConsoleSettings.Source s = settings.find(stream);
        if (s != null) {
            Map<String, String> people = new LinkedHashMap<>(s.params.getOrDefault("people", Map.of()));
            people.put("lines", g.linesSpec());
            people.put("zones", g.zonesSpec());
            Map<String, Map<String, String>> params = new LinkedHashMap<>(s.params);
            params.put("people", people);
            reconfigure(stream, s.tasks.contains("people") ? s.tasks : append(s.tasks, "people"), params);
        }
        return CompletableFuture.completedFuture(false);
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

    /** Alert when a stream's lines see more than {@code perMinute} crossings in a minute (0: never). */
    public void setCrossingRateAlert(String stream, int perMinute) {
        ConsoleSettings.Source s = settings.find(stream);
        if (s != null) {
            s.crossingRateAlert = Math.max(0, perMinute);
            save();
        }
    }

    /**
     * Once per frame, on the JavaFX thread: the streams' figures, then membership (twice a second),
     * then every stream's health, then the agents' from it, so all views show one judgement.
     */
    public void pulse(long nowMs) {
        List<StreamViewModel> all = new ArrayList<>(streams);
        List<List<Event>> fresh = new ArrayList<>();
        for (StreamViewModel vm : all) {
            fresh.add(vm.pulse(nowMs));
        }
        boolean clusterPulse = nowMs - lastClusterPulse >= 500;
        if (clusterPulse) {
            lastClusterPulse = nowMs;
            cluster.membership(nowMs);
            alerts.checkAgents(health.lostAgents(), health.presentAgents(), nowMs);
        }
        Set<String> lostAgents = health.lostAgents();
        Set<String> names = new java.util.HashSet<>();
        for (int i = 0; i < all.size(); i++) {
            StreamViewModel vm = all.get(i);
            vm.judge(nowMs, lostAgents);
            alerts.check(vm, fresh.get(i), settings.find(vm.getName()), nowMs);
            names.add(vm.getName());
        }
        alerts.forgetStreamsOtherThan(names, nowMs);
        if (clusterPulse) {
            cluster.judge(nowMs, all, answers);
            totals.set(totals());
        }
    }

    /** Totals over every stream, for the status bar. */
    private String totals() {
        double in = 0;
        double out = 0;
        long dropped = 0;
        long crossedIn = 0;
        long crossedOut = 0;
        for (StreamViewModel vm : streams) {
            var s = vm.snapshot();
            // a feed's rates are measured when results arrive: a stalled or offline stream keeps its
            // last ones, which must not be added to what is flowing now
            if (vm.healthProperty().get().running()) {
                in += s.fpsIn();
                out += s.fpsOut();
            }
            dropped += s.dropped();
            for (long[] c : s.lines().values()) {
                crossedIn += c[0];
                crossedOut += c[1];
            }
        }
        // how many streams are live is the health model's (the status bar's first part), not counted again here
        return String.format("%.0f fps in, %.0f fps out, %d dropped | crossings %d in, %d out", in, out, dropped,
                crossedIn, crossedOut);
    }

    /** Totals over all streams (frames/s in and out, dropped, crossings), updated twice a second. */
    public ReadOnlyStringProperty totalsProperty() {
        return totals.getReadOnlyProperty();
    }

    private static final DateTimeFormatter SNAPSHOT_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS").withZone(ZoneId.systemDefault());

    /**
     * Where a snapshot of {@code stream} taken at {@code at} is saved: its name says the stream and
     * the local time to the millisecond ({@code clip-20261206-100512-123.png}), in the settings'
     * snapshot directory ("snapshots" next to the settings file unless set).
     */
    public Path snapshotFile(String stream, Instant at) {
        Path dir = settings.snapshotDir.isBlank()
                ? settingsFile.toAbsolutePath().resolveSibling("snapshots") : Path.of(settings.snapshotDir);
        // a stream name is the operator's text: keep it from naming another directory
        String safe = stream.replaceAll("[^A-Za-z0-9._-]", "_");
        return dir.resolve(safe + "-" + SNAPSHOT_TIME.format(at) + ".png");
    }

    /**
     * Export CSV: with a coordinator, every stream's counts over the coordinator's whole history go
     * to {@code file}, one column per line direction and zone entry or exit (see {@link CountsCsv}),
     * and the events the console holds to {@code FILE-events.csv}; the coordinator is read on a
     * thread of its own, never on the JavaFX thread. Without one, the console's own last minutes
     * ({@link #exportCsv}) are all there is, and the answer says so. Completes with what was
     * written, in words.
     */
    public CompletableFuture<String> export(Path file) {
        if (!admin.hasCoordinator()) {
            try {
                exportCsv(file);
                return CompletableFuture.completedFuture("no coordinator: exported the counts and events this console "
                        + "holds (its last minutes) to " + file);
            } catch (IOException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        String name = file.getFileName().toString();
        Path events = file.resolveSibling(name.replaceFirst("(?i)\\.csv$", "") + "-events.csv");
        return exportCounts(file, events);
    }

    /** The coordinator's counts history to {@code file} and the console's events to {@code eventsFile}. */
    CompletableFuture<String> exportCounts(Path file, Path eventsFile) {
        List<String> names = streams.stream().map(StreamViewModel::getName).toList();
        try {
            CsvExport.writeEvents(eventsFile, new ArrayList<>(streams));
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
        return CompletableFuture.supplyAsync(() -> {
            try {
                Map<String, java.util.TreeMap<Long, Map<String, Long>>> history = new LinkedHashMap<>();
                long now = System.currentTimeMillis();
                for (String n : names) {
                    Optional<java.util.SortedMap<Long, Map<String, Long>>> h = admin.history(n, now);
                    if (h.isEmpty()) {
                        throw new IllegalStateException("the coordinator left the cluster during the export (events "
                                + "written to " + eventsFile + ")");
                    }
                    history.put(n, new java.util.TreeMap<>(h.get()));
                }
                CountsCsv.Written w = CountsCsv.write(file, history);
                return w.rows() == 0 ? "no counts in the coordinator's history; wrote the header to " + file
                        + " and the events to " + eventsFile
                        : String.format(Locale.ROOT, "exported %d minute(s) of counts of %d stream(s), %s to %s, to %s;"
                        + " events to %s", w.rows(), w.streams(), Instant.ofEpochMilli(w.firstMs()),
                        Instant.ofEpochMilli(w.lastMs()), file, eventsFile);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }, exports);
    }

    /** Counts over time and events of every stream, as CSV. */
    public void exportCsv(Path file) throws IOException {
        CsvExport.write(file, streams);
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
        exports.shutdownNow();
        countsChart.close();
        for (StreamViewModel vm : streams) {
            vm.feed().close();
        }
    }
}
