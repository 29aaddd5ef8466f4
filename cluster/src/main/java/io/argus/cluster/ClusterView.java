package io.argus.cluster;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A watched, in-memory view of the cluster's streams, assignments, configuration and
 * coordinators (Curator {@link CuratorCache}s). Clients, agents and the coordinator all read the
 * cluster through it; listeners run on Curator's event thread and must not block.
 */
public final class ClusterView implements Closeable {
    private static final Logger log = LoggerFactory.getLogger(ClusterView.class);
    private final ZkPaths paths;
    private final CuratorCache streams;
    private final CuratorCache assignments;
    private final CuratorCache configs;
    private final CuratorCache defaults;
    private final CuratorCache coordinators;
    /**
     * Managed streams' reported states. Not among the caches that fire the listeners: a state
     * changes with every retry of a failing source, and nothing that listens (placement,
     * reconciliation, routes) depends on it; readers ask when they need it.
     */
    private final CuratorCache statuses;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    /**
     * What each node's JSON parsed to, keyed by path and valid for one modification (mzxid).
     * Without it every read of the streams or assignments parsed every node again: 20,000 JSON
     * documents per placement pass at 10,000 streams, which made the coordinator spend 40% of a
     * core on agents' load refreshes that changed nothing (BENCHMARKS.md, control plane).
     * Unchanged nodes also come back as the same objects, so readers can diff by identity.
     */
    private final Map<String, Parsed> parsed = new ConcurrentHashMap<>();

    private record Parsed(long mzxid, Object value) {
    }

    /** Believes only coordinator endpoints the cluster wrote (everything on an open cluster). */
    private final RegistrationTrust trust;

    /** An open cluster's view: every coordinator endpoint is believed. */
    public ClusterView(CuratorFramework curator, ZkPaths paths) {
        this(curator, paths, RegistrationTrust.OPEN);
    }

    /** A view believing only coordinator endpoints written under the cluster's ACL; null credentials: all. */
    public ClusterView(CuratorFramework curator, ZkPaths paths, @Nullable ZkCredentials credentials) {
        this(curator, paths, RegistrationTrust.of(curator, credentials, paths));
    }

    public ClusterView(CuratorFramework curator, ZkPaths paths, RegistrationTrust trust) {
        this.paths = paths;
        this.trust = trust;
        this.streams = CuratorCache.build(curator, paths.streams());
        this.assignments = CuratorCache.build(curator, paths.assignments());
        this.configs = CuratorCache.build(curator, paths.streamConfigs());
        this.defaults = CuratorCache.build(curator, paths.defaultsConfig(), CuratorCache.Options.SINGLE_NODE_CACHE);
        this.coordinators = CuratorCache.build(curator, paths.coordinatorEndpoints());
        this.statuses = CuratorCache.build(curator, paths.managedStatuses());
        CuratorCacheListener l = CuratorCacheListener.builder().forAll((type, before, after) -> {
            if (type == CuratorCacheListener.Type.NODE_DELETED && before != null) {
                parsed.remove(before.getPath());
                trust.forget(before.getPath());
            }
            fire();
        }).build();
        for (CuratorCache c : List.of(streams, assignments, configs, defaults, coordinators)) {
            c.listenable().addListener(l);
        }
        // parsed reports are cached like the rest (a scrape of the state gauges reads every one);
        // a deleted report's entry goes, but no listener is told
        statuses.listenable().addListener(CuratorCacheListener.builder().forDeletes(before -> {
            if (before != null) {
                parsed.remove(before.getPath());
            }
        }).build());
    }

    public ClusterView start() {
        streams.start();
        assignments.start();
        configs.start();
        defaults.start();
        coordinators.start();
        statuses.start();
        return this;
    }

    private void fire() {
        for (Runnable r : listeners) {
            try {
                r.run();
            } catch (RuntimeException e) {
                log.warn("cluster view listener failed", e);
            }
        }
    }

    public void addListener(Runnable r) {
        listeners.add(r);
    }

    public void removeListener(Runnable r) {
        listeners.remove(r);
    }

    private <T> Map<String, T> children(CuratorCache cache, String parent, Class<T> type) {
        Map<String, T> out = new HashMap<>();
        cache.stream().forEach(d -> {
            if (d.getPath().startsWith(parent + "/") && d.getPath().indexOf('/', parent.length() + 1) < 0
                    && d.getData() != null && d.getData().length > 0) {
                try {
                    out.put(d.getPath().substring(parent.length() + 1), parse(d, type));
                } catch (RuntimeException e) {
                    log.warn("ignoring unreadable {}: {}", d.getPath(), e.getMessage());
                }
            }
        });
        return out;
    }

    private <T> T parse(ChildData d, Class<T> type) {
        long mzxid = d.getStat() != null ? d.getStat().getMzxid() : -1;
        Parsed p = parsed.get(d.getPath());
        if (p != null && mzxid != -1 && p.mzxid() == mzxid && type.isInstance(p.value())) {
            return type.cast(p.value());
        }
        T value = ClusterJson.read(d.getData(), type);
        if (mzxid != -1) {
            parsed.put(d.getPath(), new Parsed(mzxid, value));
        }
        return value;
    }

    public Map<String, StreamDefinition> streams() {
        return children(streams, paths.streams(), StreamDefinition.class);
    }

    public Optional<StreamDefinition> stream(String id) {
        return streams.get(paths.stream(id)).filter(d -> d.getData() != null && d.getData().length > 0)
                .flatMap(d -> {
                    try {
                        return Optional.of(parse(d, StreamDefinition.class));
                    } catch (RuntimeException e) {
                        log.warn("ignoring unreadable {}: {}", d.getPath(), e.getMessage());
                        return Optional.empty();
                    }
                });
    }

    public Map<String, Assignment> assignments() {
        return children(assignments, paths.assignments(), Assignment.class);
    }

    public Optional<Assignment> assignment(String stream) {
        return assignments.get(paths.assignment(stream)).map(d -> parse(d, Assignment.class));
    }

    /**
     * The ownership epoch of {@code agent} for {@code stream}: the ZooKeeper mzxid of the
     * stream's assignment node when that node names the agent, else 0. The leader rewrites the
     * node only when the owner changes, and zxids only grow, so every change of owner gives a
     * larger epoch than any before it, across leaders and across a delete and re-create.
     */
    public long epoch(String stream, String agent) {
        return assignments.get(paths.assignment(stream)).map(d -> {
            if (d.getStat() == null || d.getData() == null || d.getData().length == 0) {
                return 0L;
            }
            try {
                return parse(d, Assignment.class).agent().equals(agent) ? d.getStat().getMzxid() : 0L;
            } catch (RuntimeException e) {
                return 0L;
            }
        }).orElse(0L);
    }

    /** The epoch of the stream's current assignment, whoever it names; 0 when it has none. */
    public long currentEpoch(String stream) {
        return assignments.get(paths.assignment(stream))
                .map(d -> d.getStat() == null ? 0L : d.getStat().getMzxid()).orElse(0L);
    }

    /**
     * The run of a managed stream: the zxid that created its definition. A stream removed and
     * added again under the same id is a new run, whose checkpoints supersede the old one's.
     */
    public long run(String stream) {
        return streams.get(paths.stream(stream)).map(d -> d.getStat() == null ? 0L : d.getStat().getCzxid()).orElse(0L);
    }

    /** A stream's configuration and its version (the znode's data version), or empty at version -1. */
    public Versioned<StreamConfig> config(String stream) {
        Optional<ChildData> d = configs.get(paths.streamConfig(stream));
        return d.filter(c -> c.getData() != null && c.getData().length > 0)
                .map(c -> new Versioned<>(ClusterJson.read(c.getData(), StreamConfig.class), c.getStat().getVersion()))
                .orElse(new Versioned<>(StreamConfig.EMPTY, -1));
    }

    public Versioned<StreamConfig> defaults() {
        Optional<ChildData> d = defaults.get(paths.defaultsConfig());
        return d.filter(c -> c.getData() != null && c.getData().length > 0)
                .map(c -> new Versioned<>(ClusterJson.read(c.getData(), StreamConfig.class), c.getStat().getVersion()))
                .orElse(new Versioned<>(StreamConfig.EMPTY, -1));
    }

    /**
     * Live coordinators whose endpoint node the cluster wrote. Agents send their coordinator token and
     * clients their bearer token to these, so an endpoint anyone could have written is left out
     * ({@link RegistrationTrust}); the first read of a new endpoint asks ZooKeeper for its ACL.
     */
    public Map<String, CoordinatorEndpoint> coordinators() {
        Map<String, CoordinatorEndpoint> all = children(coordinators, paths.coordinatorEndpoints(), CoordinatorEndpoint.class);
        if (trust.checks()) {
            all.keySet().removeIf(id -> {
                String path = paths.coordinatorEndpoints() + "/" + id;
                long czxid = coordinators.get(path).map(d -> d.getStat() == null ? 0L : d.getStat().getCzxid()).orElse(0L);
                return !trust.trusted(path, czxid);
            });
        }
        return all;
    }

    /** Registrations this view ignored because others than the cluster could have written them. */
    public long untrustedCount() {
        return trust.untrustedCount();
    }

    /**
     * The configuration version a result computed with this stream's parameters carries:
     * stream version + 1, plus the defaults' version shifted (both start at -1 when absent).
     */
    public long configVersion(String stream) {
        return configVersion(config(stream), defaults());
    }

    /**
     * The version a result computed with exactly this configuration and these defaults carries.
     * Callers that build a request read each once and derive the version from what they read: a
     * change arriving between reading the parameters and reading the version would otherwise label
     * the old parameters with the new version.
     */
    public static long configVersion(Versioned<StreamConfig> stream, Versioned<StreamConfig> defaults) {
        return (stream.version() + 1) * 1_000_000L + (defaults.version() + 1);
    }

    /**
     * The state a managed stream's agent reports, if that agent still owns the stream under the epoch
     * of the report: a report from an earlier owner, or an earlier epoch here, is about a run that
     * is over. Empty when there is no such report (not assigned yet, or not reported yet).
     */
    public Optional<ManagedStatus> managedStatus(String stream) {
        Optional<Assignment> a = assignment(stream);
        if (a.isEmpty()) {
            return Optional.empty();
        }
        String agent = a.get().agent();
        Optional<ChildData> d = statuses.get(paths.managedStatus(stream, agent));
        if (d.isEmpty() || d.get().getData() == null || d.get().getData().length == 0) {
            return Optional.empty();
        }
        try {
            ManagedStatus st = parse(d.get(), ManagedStatus.class);
            return st.epoch() == epoch(stream, agent) ? Optional.of(st) : Optional.empty();
        } catch (RuntimeException e) {
            log.debug("unreadable state of managed stream {}: {}", stream, e.toString());
            return Optional.empty();
        }
    }

    public record Versioned<T>(T value, int version) {
    }

    @Override
    public void close() {
        streams.close();
        assignments.close();
        configs.close();
        defaults.close();
        coordinators.close();
        statuses.close();
    }
}
