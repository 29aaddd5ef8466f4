package io.argus.coordinator.cluster;

import io.argus.agent.record.CoordinatorLink;
import io.argus.agent.record.EventLinkConfig;
import io.argus.coordinator.Coordinator;
import io.argus.coordinator.CoordinatorConfig;
import io.argus.cluster.ClusterView;
import io.argus.cluster.ZkClients;
import io.argus.cluster.ZkPaths;
import io.argus.protocol.v1.Event;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 16 item 14: an agent dropped the unacknowledged events of a coordinator that left
 * ZooKeeper, so 21 events of an outage never reached it. Now they are kept for that coordinator's
 * store and delivered when a coordinator of the store is back, with real coordinators, a real
 * ZooKeeper and the agent's real event link.
 */
public class DepartedCoordinatorTest {
    public static List<Event> crossings(int from, int n) {
        List<Event> out = new ArrayList<>();
        for (int i = from; i < from + n; i++) {
            out.add(Event.newBuilder().setId("people:door:" + i).setType("crossing").setStreamId("door").setSourceIndex(i)
                    .setTimeUs(1_000_000L * (i + 1)).putAttributes("line", "door").putAttributes("direction", "in").build());
        }
        return out;
    }

    static CoordinatorConfig config(String zk, String id, Path dir) {
        return CoordinatorConfig.builder().id(id).zkConnect(zk).httpPort(0).dataDir(dir).sessionTimeoutMs(4_000)
                .minFreeDiskBytes(0).build();
    }

    /**
     * Issue 21: a replay reads as fast as the agent goes and must not outrun a store that is away,
     * or its queue would drop the oldest events past {@code maxQueued}. The link says it is
     * backlogged once one store has {@code BACKLOG_PAUSE_PERCENT}% of the bound waiting, before
     * anything is dropped, and no longer once the store is back and has taken them.
     */
    @Test
    void theLinkIsBackloggedWhileAStoreIsAwayWithHalfItsBoundWaitingAndNotOnceItHasThem(@TempDir Path dir) throws Exception {
        int bound = 40;
        EventLinkConfig small = EventLinkConfig.builder().maxQueued(bound).build();
        try (TestingServer zk = new TestingServer(true);
             CuratorFramework curator = ZkClients.newClient(zk.getConnectString())) {
            curator.start();
            curator.blockUntilConnected(10, TimeUnit.SECONDS);
            Path storeDir = dir.resolve("c1");
            Coordinator first = Coordinator.start(config(zk.getConnectString(), "c1", storeDir));
            try (ClusterView view = new ClusterView(curator, new ZkPaths(ZkPaths.DEFAULT_ROOT)).start();
                 CoordinatorLink link = new CoordinatorLink(view, "agent-1", "", new SimpleMeterRegistry(), null, small)) {
                await().atMost(10, TimeUnit.SECONDS).until(() -> view.coordinators().size() == 1);
                link.publish(crossings(0, bound)); // a whole bound at once, taken while the store is there
                await().atMost(20, TimeUnit.SECONDS).until(() -> first.store().eventCount() == bound);
                await().atMost(5, TimeUnit.SECONDS).until(() -> !link.backlogged(CoordinatorLink.BACKLOG_PAUSE_PERCENT));

                first.close();
                await().atMost(10, TimeUnit.SECONDS).until(() -> view.coordinators().isEmpty());
                link.publish(crossings(bound, bound / 2 - 1));
                await().during(1, TimeUnit.SECONDS).atMost(5, TimeUnit.SECONDS)
                        .until(() -> !link.backlogged(CoordinatorLink.BACKLOG_PAUSE_PERCENT));
                // below the pause, but a producer that has paused goes on only under a quarter
                assertThat(link.backlogged(CoordinatorLink.BACKLOG_RESUME_PERCENT)).isTrue();
                link.publish(crossings(bound + bound / 2 - 1, 1)); // half the bound waits for the store
                await().atMost(5, TimeUnit.SECONDS).until(() -> link.backlogged(CoordinatorLink.BACKLOG_PAUSE_PERCENT));
                assertThat(link.backlog()).isEqualTo(bound / 2);

                try (Coordinator back = Coordinator.start(config(zk.getConnectString(), "c1-restarted", storeDir))) {
                    await().atMost(30, TimeUnit.SECONDS).until(() -> back.store().eventCount() == bound + bound / 2);
                    await().atMost(10, TimeUnit.SECONDS).until(() -> !link.backlogged(CoordinatorLink.BACKLOG_RESUME_PERCENT)
                            && link.backlog() == 0);
                }
            }
        }
    }

    @Test
    void eventsOfAnOutageReachTheCoordinatorWhenItIsBack(@TempDir Path dir) throws Exception {
        try (TestingServer zk = new TestingServer(true);
             Coordinator stays = Coordinator.start(config(zk.getConnectString(), "c1", dir.resolve("c1")));
             CuratorFramework curator = ZkClients.newClient(zk.getConnectString())) {
            curator.start();
            curator.blockUntilConnected(10, TimeUnit.SECONDS);
            Path awayDir = dir.resolve("c2");
            Coordinator away = Coordinator.start(config(zk.getConnectString(), "c2", awayDir));
            String awayStore = away.store().storeId();
            try (ClusterView view = new ClusterView(curator, new ZkPaths(ZkPaths.DEFAULT_ROOT)).start();
                 CoordinatorLink link = new CoordinatorLink(view, "agent-1", "", new SimpleMeterRegistry(), null)) {
                await().atMost(10, TimeUnit.SECONDS).until(() -> view.coordinators().size() == 2);
                link.publish(crossings(0, 10));
                await().atMost(20, TimeUnit.SECONDS).until(() -> away.store().eventCount() == 10
                        && stays.store().eventCount() == 10);

                away.close(); // leaves ZooKeeper: a restart, an outage
                await().atMost(10, TimeUnit.SECONDS).until(() -> view.coordinators().size() == 1);
                link.publish(crossings(10, 21)); // the outage's 21 events
                await().atMost(20, TimeUnit.SECONDS).until(() -> stays.store().eventCount() == 31);
                await().atMost(10, TimeUnit.SECONDS).until(() -> link.parked() == 21);

                // back, with its store (a new process id, the same data directory)
                try (Coordinator back = Coordinator.start(config(zk.getConnectString(), "c2-restarted", awayDir))) {
                    assertThat(back.store().storeId()).isEqualTo(awayStore);
                    await().atMost(30, TimeUnit.SECONDS).until(() -> back.store().eventCount() == 31);
                    await().atMost(10, TimeUnit.SECONDS).until(() -> link.parked() == 0);
                    assertThat(back.store().totals("door")).isEqualTo(stays.store().totals("door"));
                }
            }
        }
    }
}
