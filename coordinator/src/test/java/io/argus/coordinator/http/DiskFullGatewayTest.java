package io.argus.coordinator.http;

import io.argus.agent.record.CoordinatorLink;
import io.argus.coordinator.Coordinator;
import io.argus.coordinator.CoordinatorConfig;
import io.argus.coordinator.cluster.DepartedCoordinatorTest;
import io.argus.coordinator.store.FilePathQuota;
import io.argus.coordinator.store.StoreSettings;
import io.argus.cluster.ClusterView;
import io.argus.cluster.ZkClients;
import io.argus.cluster.ZkPaths;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 16 item 13 against a running coordinator: its disk fills up while an agent publishes.
 * Before, H2 closed itself and every endpoint, /healthz included, answered 500 until a restart.
 * Now /healthz says why it is degraded, reads are served, the agent keeps what was refused, and
 * everything is stored once space returns, without a restart.
 */
class DiskFullGatewayTest {
    @AfterEach
    void room() {
        FilePathQuota.REMAINING.set(Long.MAX_VALUE);
    }

    @Test
    void aFullDiskDegradesKeepsReadsAndRecoversWithoutLosingEvents(@TempDir Path dir) throws Exception {
        FilePathQuota.register();
        try (TestingServer zk = new TestingServer(true);
             Coordinator c = Coordinator.start(CoordinatorConfig.builder().id("c-disk").zkConnect(zk.getConnectString())
                     .httpPort(0).dataDir(dir).minFreeDiskBytes(0).store(StoreSettings.builder().fileSystemPrefix("quota:")
                             .writeReserveBytes(0).reopenInterval(Duration.ofMillis(200)).build()).build());
             CuratorFramework curator = ZkClients.newClient(zk.getConnectString())) {
            curator.start();
            curator.blockUntilConnected(10, TimeUnit.SECONDS);
            try (ClusterView view = new ClusterView(curator, new ZkPaths(ZkPaths.DEFAULT_ROOT)).start();
                 CoordinatorLink agent = new CoordinatorLink(view, "agent-1", "", new SimpleMeterRegistry(), null)) {
                await().atMost(10, TimeUnit.SECONDS).until(() -> view.coordinators().size() == 1);
                agent.publish(DepartedCoordinatorTest.crossings(0, 6));
                await().atMost(20, TimeUnit.SECONDS).until(() -> c.store().eventCount() == 6);

                FilePathQuota.REMAINING.set(0); // the disk is full
                agent.publish(DepartedCoordinatorTest.crossings(6, 40));
                await().atMost(20, TimeUnit.SECONDS).until(() -> DiskHealthTest.get(c, "/healthz").statusCode() == 503);
                HttpResponse<String> health = DiskHealthTest.get(c, "/healthz");
                assertThat(health.body()).contains("store_writable").contains("read-only");
                HttpResponse<String> events = DiskHealthTest.get(c, "/v1/events?stream=door&limit=1000");
                assertThat(events.statusCode()).as(events.body()).isEqualTo(200);
                assertThat(DiskHealthTest.get(c, "/v1/streams/door/totals").statusCode()).isEqualTo(200);
                assertThat(agent.pending()).as("the agent keeps what was not acknowledged").isEqualTo(40);

                FilePathQuota.REMAINING.set(Long.MAX_VALUE); // space is freed
                await().atMost(30, TimeUnit.SECONDS).until(() -> c.store().eventCount() == 46 && agent.pending() == 0);
                await().atMost(10, TimeUnit.SECONDS).until(() -> DiskHealthTest.get(c, "/healthz").statusCode() == 200);
            }
        }
    }
}
