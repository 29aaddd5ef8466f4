package io.argus.cluster;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.x.discovery.ServiceCache;
import org.apache.curator.x.discovery.ServiceDiscovery;
import org.apache.curator.x.discovery.ServiceDiscoveryBuilder;
import org.apache.curator.x.discovery.ServiceInstance;
import org.apache.curator.x.discovery.details.JsonInstanceSerializer;
import org.apache.curator.x.discovery.details.ServiceCacheListener;
import org.apache.curator.framework.state.ConnectionState;
import org.jspecify.annotations.Nullable;

import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The live agents of a cluster, as a client or the coordinator sees them: a Curator
 * {@link ServiceCache} over {@code {root}/agents/node-agent}, kept current by watches.
 * Listeners run on Curator's event thread and must not block.
 */
public final class AgentDirectory implements Closeable {
    private final ServiceDiscovery<AgentPayload> discovery;
    private final ServiceCache<AgentPayload> cache;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final RegistrationTrust trust;
    private final String registrations;
    /** Verdicts on registrations by agent id, made when the id first appears (see {@link RegistrationTrust}). */
    private final Map<String, Boolean> trusted = new ConcurrentHashMap<>();

    /** An open cluster's directory: every registration is believed. */
    public AgentDirectory(CuratorFramework curator, ZkPaths paths) {
        this(curator, paths, RegistrationTrust.OPEN);
    }

    /**
     * A directory that lists only agents whose registration the cluster wrote ({@link RegistrationTrust});
     * with {@code credentials} null, every registration.
     */
    public AgentDirectory(CuratorFramework curator, ZkPaths paths, @Nullable ZkCredentials credentials) {
        this(curator, paths, RegistrationTrust.of(curator, credentials, paths));
    }

    public AgentDirectory(CuratorFramework curator, ZkPaths paths, RegistrationTrust trust) {
        this.trust = trust;
        this.registrations = paths.agents() + "/" + ZkPaths.AGENT_SERVICE;
        this.discovery = ServiceDiscoveryBuilder.builder(AgentPayload.class)
                .client(curator)
                .basePath(paths.agents())
                .serializer(serializer())
                .watchInstances(true)
                .build();
        this.cache = discovery.serviceCacheBuilder().name(ZkPaths.AGENT_SERVICE).build();
        this.cache.addListener(new ServiceCacheListener() {
            @Override
            public void cacheChanged() {
                checkNewRegistrations();
                listeners.forEach(Runnable::run);
            }

            @Override
            public void stateChanged(CuratorFramework client, ConnectionState newState) {
                // the cache rebuilds itself on reconnect; listeners hear about it through cacheChanged
            }
        });
    }

    public static JsonInstanceSerializer<AgentPayload> serializer() {
        return new JsonInstanceSerializer<>(AgentPayload.class);
    }

    public AgentDirectory start() throws Exception {
        discovery.start();
        cache.start();
        checkNewRegistrations();
        return this;
    }

    /**
     * Judges registrations not seen before and forgets those that left. Runs before listeners hear of a
     * change, so they see the verdicts; an agent whose node could not be checked is left out until the
     * next change.
     */
    private void checkNewRegistrations() {
        if (!trust.checks()) {
            return;
        }
        Set<String> present = new HashSet<>();
        for (ServiceInstance<AgentPayload> i : cache.getInstances()) {
            present.add(i.getId());
            if (!trusted.containsKey(i.getId())) {
                Boolean v = trust.verdict(registrations + "/" + i.getId(), 0);
                if (v != null) {
                    trusted.put(i.getId(), v);
                }
            }
        }
        trusted.keySet().removeIf(id -> !present.contains(id));
    }

    private boolean believed(ServiceInstance<AgentPayload> i) {
        return !trust.checks() || Boolean.TRUE.equals(trusted.get(i.getId()));
    }

    /** Registrations ignored so far because others than the cluster could have written them. */
    public long untrustedCount() {
        return trust.untrustedCount();
    }

    public void addListener(Runnable listener) {
        listeners.add(listener);
    }

    public void removeListener(Runnable listener) {
        listeners.remove(listener);
    }

    /** All live agents that are not draining. */
    public List<AgentInfo> agents() {
        List<AgentInfo> out = new ArrayList<>();
        for (ServiceInstance<AgentPayload> i : cache.getInstances()) {
            if (i.getPayload() != null && !i.getPayload().draining() && believed(i)) {
                out.add(new AgentInfo(i.getId(), i.getPayload()));
            }
        }
        return out;
    }

    /** All registered agents, draining ones included. */
    public List<AgentInfo> allAgents() {
        List<AgentInfo> out = new ArrayList<>();
        for (ServiceInstance<AgentPayload> i : cache.getInstances()) {
            if (i.getPayload() != null && believed(i)) {
                out.add(new AgentInfo(i.getId(), i.getPayload()));
            }
        }
        return out;
    }

    public Optional<AgentInfo> agent(String id) {
        return allAgents().stream().filter(a -> a.id().equals(id)).findFirst();
    }

    @Override
    public void close() throws IOException {
        cache.close();
        discovery.close();
    }
}
