package io.argus.agent;

import io.argus.agent.exec.AgentMetrics;
import io.argus.agent.record.CoordinatorLink;
import io.argus.cluster.ClusterView;
import io.argus.cluster.RegistrationTrust;
import io.argus.cluster.ZkAclAudit;
import io.argus.cluster.ZkClients;
import io.argus.cluster.ZkPaths;
import java.util.Objects;
import org.apache.curator.framework.CuratorFramework;

/**
 * An agent's link to the cluster: its ZooKeeper session, what it sees there ({@link ClusterView}),
 * and its event link to the coordinators. {@link #close} closes them newest first.
 */
record AgentCluster(CuratorFramework curator, ZkPaths paths, ClusterView view, CoordinatorLink link)
        implements AutoCloseable {

    /** Connects; on failure closes what it opened and throws. */
    static AgentCluster connect(AgentConfig config, String agentId, AgentMetrics metrics) throws Exception {
        OpenedResources opened = new OpenedResources();
        try {
            // connect() is called only when the agent was given a ZooKeeper connect string
            CuratorFramework curator = ZkClients.newClient(Objects.requireNonNull(config.zkConnect()), config.zkSessionTimeoutMs(),
                    config.zkCredentials());
            curator.start();
            opened.add("ZooKeeper client", curator::close);
            ZkPaths paths = new ZkPaths(config.zkRoot());
            if (config.zkCredentials() != null) {
                // before anything is read or registered: no secret may go to an endpoint from an open node
                new ZkAclAudit(curator, config.zkCredentials(), paths, ZkAclAudit.DEFAULT_MAX_NODES).secure();
            }
            RegistrationTrust trust = RegistrationTrust.of(curator, config.zkCredentials(), paths);
            ClusterView view = new ClusterView(curator, paths, trust).start();
            opened.add("cluster view", view::close);
            metrics.gauge("argus.zk.untrusted_registrations", trust::untrustedCount);
            CoordinatorLink link = new CoordinatorLink(view, agentId, config.coordinatorToken(), metrics.registry(),
                    config.tls() == null ? null : config.tls().clientContext(), config.eventLink());
            return new AgentCluster(curator, paths, view, link);
        } catch (Exception | Error e) {
            opened.closeAll(e);
            throw e;
        }
    }

    /** The path under which agents register ({@code agents/service}). */
    String agentsPath() {
        return paths.agents() + "/" + ZkPaths.AGENT_SERVICE;
    }

    @Override
    public void close() {
        link.close();
        view.close();
        curator.close();
    }
}
