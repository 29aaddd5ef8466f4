package io.argus.cluster;

import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;

/**
 * The start-time check of a cluster's ZooKeeper tree (agents and coordinators run it when they have
 * credentials): every node under the root must be changeable by the cluster only. Why: nodes created
 * before the first start (by hand, by an older open cluster, by a stranger racing the first start)
 * keep whatever ACL they were created with, and through a {@code world:anyone} parent a stranger can
 * register fake agents and coordinators. An open node is given the cluster's ACL (we authenticate as
 * the cluster; {@code world:anyone} ALL includes ADMIN, so ZooKeeper lets us); a node we may not fix
 * stops the start with a message naming it.
 *
 * <p>Except registrations: an open agent registration or coordinator endpoint, and any open ephemeral
 * node, was not written by a cluster member (they write under the cluster's ACL), so giving it the
 * cluster's ACL would make a stranger's endpoint look like ours. It is deleted instead, and so is every
 * registration under a parent that was open: anyone can read an ACL, so a stranger could have created
 * his registration there with a copy of the cluster's own.
 */
public final class ZkAclAudit {
    private static final Logger log = LoggerFactory.getLogger(ZkAclAudit.class);
    /**
     * Most nodes one audit walks: 200,000, several times the tree of a 10,000-stream cluster (a
     * definition, an assignment and a configuration per stream). A larger tree stops the start rather
     * than leave part of it unchecked.
     */
    public static final int DEFAULT_MAX_NODES = 200_000;

    private final CuratorFramework curator;
    private final ZkCredentials credentials;
    private final ZkPaths paths;
    private final int maxNodes;

    public ZkAclAudit(CuratorFramework curator, ZkCredentials credentials, ZkPaths paths, int maxNodes) {
        if (maxNodes < 1) {
            throw new IllegalArgumentException("maxNodes must be at least 1: " + maxNodes);
        }
        this.curator = curator;
        this.credentials = credentials;
        this.paths = paths;
        this.maxNodes = maxNodes;
    }

    /** A node to check; {@code tainted} when a node above it was open until this walk fixed it. */
    private record Entry(String path, boolean tainted) {
    }

    /** The result of a walk: nodes checked, nodes whose ACL was replaced and open registrations deleted. */
    public record Report(int checked, List<String> fixed, List<String> deleted) {
    }

    /**
     * Walks the whole tree under the root (the root included), fixing open nodes.
     *
     * @throws IllegalStateException naming the node when one cannot be fixed, or when the tree has more
     *                               than {@code maxNodes} nodes
     */
    public Report secure() throws Exception {
        List<String> fixed = new ArrayList<>();
        List<String> deleted = new ArrayList<>();
        if (curator.checkExists().forPath(paths.root()) == null) {
            return new Report(0, fixed, deleted); // nothing pre-created: everything will be made with the cluster's ACL
        }
        Set<String> registrationDirs = Set.of(paths.coordinatorEndpoints(),
                paths.agents() + "/" + ZkPaths.AGENT_SERVICE);
        Deque<Entry> todo = new ArrayDeque<>();
        todo.add(new Entry(paths.root(), false));
        int checked = 0;
        while (!todo.isEmpty()) {
            Entry e = todo.poll();
            String path = e.path();
            if (++checked > maxNodes) {
                throw new IllegalStateException("ZooKeeper tree under " + paths.root() + " has more than " + maxNodes
                        + " nodes (ZkAclAudit.DEFAULT_MAX_NODES); its ACLs cannot all be checked, refusing to start");
            }
            try {
                Stat stat = new Stat();
                List<ACL> acl = curator.getACL().storingStatIn(stat).forPath(path);
                boolean open = !credentials.onlyClusterWrites(acl);
                String parent = path.substring(0, path.lastIndexOf('/'));
                // a registration under a parent that was open may carry a copy of the cluster's ACL (anyone can
                // read ACLs): it proves nothing, so it goes too (a genuine process that registered on the open
                // tree has to be restarted to register again; this happens once, when a tree is first secured)
                if (registrationDirs.contains(parent) ? open || e.tainted() : open && stat.getEphemeralOwner() != 0) {
                    delete(path, acl, stat);
                    deleted.add(path);
                    continue;
                }
                if (open) {
                    fix(path, acl, stat);
                    fixed.add(path);
                }
                boolean taint = e.tainted() || open;
                todo.addAll(curator.getChildren().forPath(path).stream()
                        .map(c -> new Entry(path + "/" + c, taint)).toList());
            } catch (KeeperException.NoNodeException gone) {
                // deleted while we walked (an ephemeral node): nothing to check
            } catch (KeeperException.NoAuthException ex) {
                throw new IllegalStateException("ZooKeeper node " + path + " cannot be read with the cluster credentials ("
                        + credentials.user() + "), so its ACL cannot be checked; refusing to start", ex);
            }
        }
        if (!fixed.isEmpty()) {
            log.warn("ZooKeeper: gave the cluster's ACL to {} node(s) anyone could change: {}", fixed.size(),
                    fixed.size() <= 10 ? fixed : fixed.subList(0, 10) + " ...");
        }
        if (!deleted.isEmpty()) {
            log.warn("ZooKeeper: deleted {} registration(s) anyone could have written: {}", deleted.size(),
                    deleted.size() <= 10 ? deleted : deleted.subList(0, 10) + " ...");
        }
        return new Report(checked, fixed, deleted);
    }

    private void delete(String path, List<ACL> acl, Stat stat) throws Exception {
        try {
            curator.delete().withVersion(stat.getVersion()).forPath(path);
        } catch (KeeperException.NoNodeException gone) {
            // its session ended meanwhile
        } catch (KeeperException e) {
            throw new IllegalStateException("ZooKeeper node " + path + " is a registration with the ACL " + acl
                    + ", which others than the cluster (" + credentials.user() + ") may have written, and the cluster"
                    + " credentials may not delete it (" + e.code() + "); refusing to start. Delete it, then start again", e);
        }
    }

    private void fix(String path, List<ACL> acl, Stat stat) throws Exception {
        try {
            curator.setACL().withVersion(stat.getAversion()).withACL(credentials.acl()).forPath(path);
        } catch (KeeperException.NoAuthException | KeeperException.BadVersionException e) {
            throw new IllegalStateException("ZooKeeper node " + path + " has the ACL " + acl
                    + ", which lets others than the cluster (" + credentials.user() + ") change it, and the cluster"
                    + " credentials may not fix it; refusing to start. Delete the node or give it the cluster's ACL"
                    + " (digest " + credentials.user() + " ALL, world READ), then start again", e);
        }
    }
}
