package io.argus.agent.registry;

import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One {@code exists} on the raw ZooKeeper handle, waited for at most a given time. Curator's
 * retrying calls would hold the caller in their backoff (seconds per attempt, minutes in all)
 * while ZooKeeper is away; the ownership checks must answer within their own period instead.
 */
final class BoundedRead {
    private BoundedRead() {
    }

    /**
     * @return the node's stat, or null when it does not exist
     * @throws TimeoutException when ZooKeeper did not answer in time; another exception when it
     *                          answered with an error (the caller cannot tell either way)
     */
    static Stat exists(CuratorFramework curator, String path, long waitMs) throws Exception {
        ZooKeeper zk = curator.getZookeeperClient().getZooKeeper();
        CompletableFuture<Stat> read = new CompletableFuture<>();
        zk.exists(path, false, (rc, p, ctx, stat) -> {
            if (rc == KeeperException.Code.OK.intValue()) {
                read.complete(stat);
            } else if (rc == KeeperException.Code.NONODE.intValue()) {
                read.complete(null);
            } else {
                read.completeExceptionally(KeeperException.create(KeeperException.Code.get(rc), p));
            }
        }, null);
        return read.get(waitMs, TimeUnit.MILLISECONDS);
    }
}
