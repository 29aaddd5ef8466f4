package io.argus.cluster;

import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;

/**
 * Reads and stores the cluster's {@link SourcePolicy} at {@link ZkPaths#sourcePolicy()}. Reads go
 * to ZooKeeper each time (a stream is created or opened rarely; a cache could answer with a policy
 * the administrator has just replaced).
 */
public final class SourcePolicies {
    private SourcePolicies() {
    }

    /**
     * The stored policy, or {@link SourcePolicy#DEFAULT} (nothing allowed) when none is stored.
     *
     * @throws IllegalStateException when the stored policy cannot be read or parsed: callers refuse
     *                               the source (fail closed) and say why
     */
    public static SourcePolicy read(CuratorFramework curator, ZkPaths paths) {
        byte[] data;
        try {
            data = curator.getData().forPath(paths.sourcePolicy());
        } catch (KeeperException.NoNodeException e) {
            return SourcePolicy.DEFAULT;
        } catch (Exception e) {
            throw new IllegalStateException("the source policy could not be read from ZooKeeper: " + e.getMessage(), e);
        }
        if (data == null || data.length == 0) {
            return SourcePolicy.DEFAULT;
        }
        try {
            return ClusterJson.read(data, SourcePolicy.class);
        } catch (RuntimeException e) {
            throw new IllegalStateException("the stored source policy is invalid: " + e.getMessage(), e);
        }
    }

    /** Stores {@code policy}, replacing the one stored. Created with the client's ACL provider. */
    public static void write(CuratorFramework curator, ZkPaths paths, SourcePolicy policy) throws Exception {
        byte[] data = ClusterJson.write(policy);
        try {
            curator.setData().forPath(paths.sourcePolicy(), data);
        } catch (KeeperException.NoNodeException e) {
            curator.create().creatingParentsIfNeeded().withMode(CreateMode.PERSISTENT)
                    .forPath(paths.sourcePolicy(), data);
        }
    }
}
