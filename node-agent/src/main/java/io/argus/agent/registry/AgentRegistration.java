package io.argus.agent.registry;

import io.argus.agent.net.AgentRuntime;
import io.argus.cluster.AgentDirectory;
import io.argus.cluster.AgentLoad;
import io.argus.cluster.AgentPayload;
import io.argus.cluster.ZkClients;
import io.argus.cluster.ZkPaths;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.apache.curator.x.discovery.ServiceDiscovery;
import org.apache.curator.x.discovery.ServiceDiscoveryBuilder;
import org.apache.curator.x.discovery.ServiceInstance;
import org.apache.curator.x.discovery.ServiceType;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.util.concurrent.TimeUnit;

/**
 * The agent's entry in service discovery: an ephemeral node
 * {@code {root}/agents/node-agent/{agentId}} holding its {@link AgentPayload} as JSON.
 *
 * <p>Connection states: on SUSPENDED or LOST the agent fences itself (keeps serving the streams it
 * has, takes no new ones), because it can no longer be sure that the cluster still sees it. On
 * RECONNECTED, Curator's discovery re-registers the instance (a new session after LOST gets a new
 * ephemeral node) and the fence is lifted.
 */
public final class AgentRegistration implements Closeable {
    private static final Logger log = LoggerFactory.getLogger(AgentRegistration.class);

    private final CuratorFramework curator;
    private final ZkPaths paths;
    private final AgentRuntime.Admission admission;
    private final int sessionTimeoutMs;
    private volatile ServiceInstance<AgentPayload> instance;
    private final ServiceDiscovery<AgentPayload> discovery;
    private final ConnectionStateListener fence = this::onState;
    private volatile boolean registered;

    public AgentRegistration(CuratorFramework curator, ZkPaths paths, String agentId, AgentPayload payload,
                             AgentRuntime.Admission admission, int sessionTimeoutMs) throws Exception {
        this.curator = curator;
        this.paths = paths;
        this.admission = admission;
        this.sessionTimeoutMs = sessionTimeoutMs;
        this.instance = ServiceInstance.<AgentPayload>builder()
                .name(ZkPaths.AGENT_SERVICE).id(agentId)
                .address(payload.host()).port(payload.port())
                .payload(payload).serviceType(ServiceType.DYNAMIC).build();
        this.discovery = ServiceDiscoveryBuilder.builder(AgentPayload.class)
                .client(curator).basePath(paths.agents()).serializer(AgentDirectory.serializer())
                .watchInstances(false).build();
    }

    public void start() throws Exception {
        if (!curator.blockUntilConnected(sessionTimeoutMs * 2, TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("cannot reach ZooKeeper within " + sessionTimeoutMs * 2 + " ms");
        }
        waitForStaleInstance();
        curator.getConnectionStateListenable().addListener(fence);
        discovery.start();
        discovery.registerService(instance);
        registered = true;
        log.info("registered agent {} at {}:{} in {}", instance.getId(), instance.getAddress(), instance.getPort(),
                paths.agents());
    }

    /**
     * An agent restarted under the same name within the session timeout finds its previous
     * (dead) session's node still there. Wait for ZooKeeper to expire it rather than steal the
     * name; if it outlives a session timeout, a live agent owns the name.
     */
    private void waitForStaleInstance() throws Exception {
        String path = paths.agents() + "/" + ZkPaths.AGENT_SERVICE + "/" + instance.getId();
        long mySession = curator.getZookeeperClient().getZooKeeper().getSessionId();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(sessionTimeoutMs + 2_000L);
        boolean warned = false;
        while (true) {
            Stat stat = curator.checkExists().forPath(path);
            if (stat == null || stat.getEphemeralOwner() == mySession) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("agent id '" + instance.getId()
                        + "' is registered by another live agent; choose another --name");
            }
            if (!warned) {
                log.warn("agent id {} is still registered by session 0x{}; waiting for it to expire",
                        instance.getId(), Long.toHexString(stat.getEphemeralOwner()));
                warned = true;
            }
            Thread.sleep(200);
        }
    }

    private void onState(CuratorFramework client, ConnectionState state) {
        switch (state) {
            case SUSPENDED, LOST -> {
                if (!admission.fenced()) {
                    log.warn("ZooKeeper connection {}: taking no new streams until it is back", state);
                }
                admission.fenced(true);
            }
            case RECONNECTED, CONNECTED -> {
                log.info("ZooKeeper connection {}: registration restored", state);
                admission.fenced(false);
            }
            default -> {
            }
        }
    }

    public String agentId() {
        return instance.getId();
    }

    public AgentPayload payload() {
        return instance.getPayload();
    }

    /** Publishes a new load figure (a ZooKeeper write). Skipped while disconnected. */
    public void updateLoad(AgentLoad load) {
        update(instance.getPayload().withLoad(load, System.currentTimeMillis()));
    }

    public void markDraining() {
        update(instance.getPayload().withDraining(true, System.currentTimeMillis()));
    }

    private void update(AgentPayload payload) {
        try {
            ServiceInstance<AgentPayload> next = ServiceInstance.<AgentPayload>builder()
                    .name(instance.getName()).id(instance.getId()).address(instance.getAddress())
                    .port(instance.getPort()).payload(payload).serviceType(ServiceType.DYNAMIC)
                    .registrationTimeUTC(instance.getRegistrationTimeUTC()).build();
            instance = next;
            if (!registered || !curator.getZookeeperClient().isConnected()) {
                return;
            }
            discovery.updateService(next);
        } catch (Exception e) {
            log.debug("load update failed: {}", e.toString());
        }
    }

    /** Removes the registration now (first step of a graceful shutdown). */
    public void deregister() {
        if (!registered) {
            return;
        }
        registered = false;
        ZkClients.cleanup("deregistration", () -> discovery.unregisterService(instance));
    }

    @Override
    public void close() {
        deregister();
        curator.getConnectionStateListenable().removeListener(fence);
        // discovery.close() deletes its instances again, with the same retries
        ZkClients.cleanup("discovery close", discovery::close);
    }
}
