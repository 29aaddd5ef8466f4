package io.argus.coordinator.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.argus.coordinator.leader.Leadership;
import io.argus.coordinator.store.DiskSpace;
import io.argus.coordinator.store.EventStore;
import io.argus.cluster.AgentDirectory;
import io.argus.protocol.json.ResultJson;
import org.apache.curator.framework.CuratorFramework;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * What {@code /healthz} answers, within a bound. With ZooKeeper down it used to hang for 20 s: the
 * leader's id is a ZooKeeper read, retried by Curator. Now ZooKeeper's state comes from Curator's
 * connection state (no call to the server), the leader is asked only while connected, and each
 * check that may block runs on the blocking executor with the bound; a check not done by then is
 * reported as a problem instead of being waited for. Any problem makes the answer 503
 * {@code {"status":"degraded","problems":[...]}}, so a load balancer takes the coordinator out.
 */
final class HealthProbe {
    private static final Logger log = LoggerFactory.getLogger(HealthProbe.class);

    record Report(int status, ObjectNode body) {
    }

    private final CuratorFramework curator;
    private final Leadership leadership;
    private final AgentDirectory agents;
    private final EventStore store;
    private final Executor blocking;
    private final long timeoutMs;
    private final DiskSpace disk;

    HealthProbe(CuratorFramework curator, Leadership leadership, AgentDirectory agents, EventStore store,
                Executor blocking, long timeoutMs, DiskSpace disk) {
        this.disk = disk;
        this.curator = curator;
        this.leadership = leadership;
        this.agents = agents;
        this.store = store;
        this.blocking = blocking;
        this.timeoutMs = timeoutMs;
    }

    /** Completes within the bound (plus scheduling), never exceptionally. */
    CompletableFuture<Report> check() {
        boolean zk = curator.getZookeeperClient().isConnected();
        CompletableFuture<Object> leader = zk ? bounded(leadership::leaderId) : CompletableFuture.completedFuture(SKIPPED);
        CompletableFuture<Object> agentCount = bounded(() -> agents.agents().size());
        CompletableFuture<Object> events = bounded(store::eventCount);
        CompletableFuture<Object> space = bounded(() -> {
            String p = disk.problem();
            return p == null ? (Object) disk.usableBytes() : new Failure(p.substring("disk: ".length()));
        });
        CompletableFuture<Object> writes = bounded(() -> {
            String p = store.problem();
            return p == null ? (Object) 1 : new Failure(p);
        });
        CompletableFuture<Object> newest = bounded(store::newestEventTimeUs);
        return CompletableFuture.allOf(leader, agentCount, events, space, writes, newest).thenApply(v -> {
            ObjectNode n = ResultJson.MAPPER.createObjectNode();
            ArrayNode problems = ResultJson.MAPPER.createArrayNode();
            n.put("zookeeper", zk ? "connected" : "disconnected");
            if (!zk) {
                problems.add("zookeeper: not connected (Curator connection state); assignments and configuration are frozen");
            }
            n.put("coordinator", leadership.id());
            Object l = leader.join();
            if (l == SKIPPED) {
                n.putNull("leader");
            } else if (l instanceof Failure f) {
                n.putNull("leader");
                problems.add("leader: " + f.what);
            } else {
                n.put("leader", (String) l);
            }
            n.put("acting_leader", leadership.acting());
            put(n, problems, "agents", agentCount.join());
            put(n, problems, "events", events.join());
            put(n, problems, "disk_free_bytes", space.join());
            put(n, problems, "store_writable", writes.join());
            put(n, problems, "newest_event_us", newest.join());
            n.put("status", problems.isEmpty() ? "ok" : "degraded");
            n.set("problems", problems);
            return new Report(problems.isEmpty() ? 200 : 503, n);
        });
    }

    private static void put(ObjectNode n, ArrayNode problems, String name, Object v) {
        if (v instanceof Failure f) {
            n.putNull(name);
            problems.add(name + ": " + f.what);
        } else {
            n.put(name, ((Number) v).longValue());
        }
    }

    private static final Object SKIPPED = new Object();

    private record Failure(String what) {
    }

    private CompletableFuture<Object> bounded(Supplier<Object> check) {
        CompletableFuture<Object> f;
        try {
            f = CompletableFuture.supplyAsync(check, blocking);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.completedFuture(new Failure("not checked: the coordinator is overloaded"));
        }
        return f.exceptionally(e -> {
            log.warn("health check failed", e);
            return new Failure("check failed (see the coordinator's log)");
        }).completeOnTimeout(new Failure("no answer within " + timeoutMs + " ms"), timeoutMs, TimeUnit.MILLISECONDS);
    }
}
