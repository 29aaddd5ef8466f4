package io.argus.cluster;

import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Stat;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Decides whether a registration (an agent's, a coordinator's endpoint) was written by the cluster:
 * its node, and every node from it up to the cluster's root, grant write, create, delete and admin
 * to the cluster's digest identity only ({@link ZkCredentials#onlyClusterWrites}). Why the parents
 * too: anyone may read a node's ACL, so a stranger can create a node carrying the cluster's own ACL;
 * he can do that only under a parent that lets him create, which this check refuses. Secrets
 * (coordinator, agent and bearer tokens) go only to endpoints read from trusted nodes, so a fake
 * agent or coordinator registered through an open node receives nothing.
 *
 * <p>Without credentials ({@link #OPEN}) every node is trusted, as before: an open cluster has no
 * identity to check against. Verdicts are kept per node creation (czxid): a node's ACL can only be
 * changed by a holder of ADMIN, which for a trusted node is the cluster itself.
 */
public final class RegistrationTrust {
    private static final Logger log = LoggerFactory.getLogger(RegistrationTrust.class);
    /** Trusts everything: clusters without credentials. */
    public static final RegistrationTrust OPEN = new RegistrationTrust(null, null, null);

    private final @Nullable CuratorFramework curator;
    private final @Nullable ZkCredentials credentials;
    private final @Nullable String root;
    private final Map<String, Verdict> verdicts = new ConcurrentHashMap<>();
    private final AtomicLong untrusted = new AtomicLong();

    private record Verdict(long czxid, boolean trusted) {
    }

    private RegistrationTrust(@Nullable CuratorFramework curator, @Nullable ZkCredentials credentials, @Nullable String root) {
        this.curator = curator;
        this.credentials = credentials;
        this.root = root;
    }

    /** Checks against {@code credentials}, or trusts everything when they are null. */
    public static RegistrationTrust of(CuratorFramework curator, @Nullable ZkCredentials credentials, ZkPaths paths) {
        return credentials == null ? OPEN : new RegistrationTrust(curator, credentials, paths.root());
    }

    public boolean checks() {
        return credentials != null;
    }

    /**
     * Whether the node at {@code path}, created at {@code czxid} (0 when unknown: checked afresh), may be
     * believed. Makes ZooKeeper calls the first time a node is seen; a node that cannot be checked
     * (ZooKeeper unreachable, node gone) is not trusted this time and is checked again next time.
     */
    public boolean trusted(String path, long czxid) {
        return Boolean.TRUE.equals(verdict(path, czxid));
    }

    /** As {@link #trusted}, but null when the node could not be checked (gone, ZooKeeper unreachable). */
    public @Nullable Boolean verdict(String path, long czxid) {
        if (credentials == null) {
            return true;
        }
        Verdict v = verdicts.get(path);
        if (v != null && czxid != 0 && v.czxid() == czxid) {
            return v.trusted();
        }
        try {
            Stat stat = new Stat();
            // only OPEN has no curator and credentials, and it trusts everything before this point
            List<ACL> acl = Objects.requireNonNull(curator).getACL().storingStatIn(stat).forPath(path);
            String bad = Objects.requireNonNull(credentials).onlyClusterWrites(acl) ? openAncestor(path) : path;
            boolean ok = bad == null;
            verdicts.put(path, new Verdict(stat.getCzxid(), ok));
            if (bad != null) {
                untrusted.incrementAndGet();
                log.warn("ignoring {}: {} may be written by others than the cluster ({}), so it is not trusted",
                        path, bad, bad.equals(path) ? acl : "a parent");
            }
            return ok;
        } catch (KeeperException.NoNodeException e) {
            verdicts.remove(path);
            return null;
        } catch (Exception e) {
            log.warn("cannot check the ACL of {}: {}", path, e.toString());
            return null;
        }
    }

    /** The first node above {@code path}, up to the root, that others than the cluster may change; or null. */
    private @Nullable String openAncestor(String path) throws Exception {
        String root = Objects.requireNonNull(this.root);
        CuratorFramework curator = Objects.requireNonNull(this.curator);
        ZkCredentials credentials = Objects.requireNonNull(this.credentials);
        String p = path;
        while (p.length() > root.length() && p.startsWith(root + "/")) {
            p = p.substring(0, p.lastIndexOf('/'));
            if (!credentials.onlyClusterWrites(curator.getACL().forPath(p))) {
                return p;
            }
        }
        return null;
    }

    /** Forgets the verdict on a node that went away. */
    public void forget(String path) {
        verdicts.remove(path);
    }

    /** How many times a registration was found untrusted and ignored (the argus_zk_untrusted_nodes metric). */
    public long untrustedCount() {
        return untrusted.get();
    }
}
