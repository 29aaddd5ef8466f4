package io.argus.agent.managed;

import io.argus.cluster.ClusterJson;
import io.argus.cluster.ManagedStatus;
import io.argus.cluster.ZkPaths;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Tells the cluster what state each managed stream on this agent is in: an ephemeral node per
 * stream and agent ({@link ZkPaths#managedStatus}), so that a dead agent's reports vanish with its
 * session, where the coordinators read them for the API, {@code stream list} and their metrics.
 *
 * <p>Written on a thread of its own, latest report per stream only: a runner never waits for
 * ZooKeeper (which may be away for the whole session timeout), and a source failing in a tight loop
 * costs one write per pause, not a queue of stale ones.
 */
final class ManagedStatusReporter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ManagedStatusReporter.class);
    /** A report ZooKeeper did not take is tried again after this long, unless a newer one came. */
    static final long REWRITE_MS = 1_000;
    /** The report a stream that stopped here leaves: its node is deleted. */
    private static final Object CLEAR = new Object();

    private final CuratorFramework curator;
    private final ZkPaths paths;
    private final String agentId;
    private final Map<String, Object> latest = new ConcurrentHashMap<>();
    private final ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "argus-managed-status");
        t.setDaemon(true);
        return t;
    });

    ManagedStatusReporter(CuratorFramework curator, ZkPaths paths, String agentId) {
        this.curator = curator;
        this.paths = paths;
        this.agentId = agentId;
    }

    /** The stream's state now (replacing any report not yet written). */
    void report(String stream, ManagedStatus status) {
        enqueue(stream, status);
    }

    /** The stream no longer runs here: its report is removed. */
    void clear(String stream) {
        enqueue(stream, CLEAR);
    }

    private void enqueue(String stream, Object report) {
        latest.put(stream, report);
        try {
            writer.execute(() -> flush(stream));
        } catch (RejectedExecutionException e) {
            // closed: the session ends with the agent, and the ephemeral nodes with it
        }
    }

    private void flush(String stream) {
        Object report = latest.remove(stream);
        if (report == null) {
            return; // written by an earlier flush of the same stream
        }
        String path = paths.managedStatus(stream, agentId);
        try {
            if (report == CLEAR) {
                curator.delete().quietly().forPath(path);
            } else {
                curator.create().orSetData().creatingParentContainersIfNeeded().withMode(CreateMode.EPHEMERAL)
                        .forPath(path, ClusterJson.write(report));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // ZooKeeper away: tried again later, unless a newer report replaced it meanwhile
            log.debug("managed stream {}: state not written to ZooKeeper: {}", stream, e.toString());
            if (latest.putIfAbsent(stream, report) == null) {
                try {
                    writer.schedule(() -> flush(stream), REWRITE_MS, TimeUnit.MILLISECONDS);
                } catch (RejectedExecutionException closed) {
                    latest.remove(stream);
                }
            }
        }
    }

    @Override
    public void close() {
        writer.shutdown();
    }
}
