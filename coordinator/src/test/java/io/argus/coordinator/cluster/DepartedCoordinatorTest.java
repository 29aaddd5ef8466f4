package io.argus.coordinator.cluster;

import io.argus.agent.record.CoordinatorLink;
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
