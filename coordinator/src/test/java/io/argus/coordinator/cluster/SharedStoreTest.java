package io.argus.coordinator.cluster;

import io.argus.agent.record.CoordinatorLink;
import io.argus.cluster.ClusterView;
import io.argus.cluster.ZkClients;
import io.argus.cluster.ZkPaths;
import io.argus.coordinator.Coordinator;
import io.argus.coordinator.CoordinatorConfig;
import io.argus.coordinator.store.StoreSettings;
import io.argus.testing.PostgresServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 18 part 1: coordinators that share one PostgreSQL store (a real server, started by the
 * test) keep one record. Real coordinators, a real ZooKeeper, the agent's real event link: both
 * answer {@code /counts} identically, and a coordinator that was stopped sees, when it is back,
 * everything that happened while it was away, at once (nothing has to be resent to it).
 */
class SharedStoreTest {
    static CoordinatorConfig config(String zk, String id, Path dir, PostgresServer pg) {
        return CoordinatorConfig.builder().id(id).zkConnect(zk).httpPort(0).dataDir(dir).sessionTimeoutMs(4_000)
                .minFreeDiskBytes(0)
                .store(StoreSettings.builder().url(pg.jdbcUrl()).user(pg.user()).password(pg.password()).build())
                .build();
    }

    /**
     * The database away for a while: batches are not acknowledged, {@code /healthz} says why, and
     * when it is back the agent's resends are stored, none lost and none twice.
     */
    @Test
    void aDatabaseOutageLosesNothing(@TempDir Path dir) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        try (PostgresServer pg = PostgresServer.start();
             TestingServer zk = new TestingServer(true);
             Coordinator c = Coordinator.start(config(zk.getConnectString(), "c1", dir.resolve("c1"), pg));
             CuratorFramework curator = ZkClients.newClient(zk.getConnectString())) {
            curator.start();
            curator.blockUntilConnected(10, TimeUnit.SECONDS);
            try (ClusterView view = new ClusterView(curator, new ZkPaths(ZkPaths.DEFAULT_ROOT)).start();
                 CoordinatorLink link = new CoordinatorLink(view, "agent-1", "", new SimpleMeterRegistry(), null)) {
                await().atMost(10, TimeUnit.SECONDS).until(() -> view.coordinators().size() == 1);
                link.publish(DepartedCoordinatorTest.crossings(0, 10));
                await().atMost(20, TimeUnit.SECONDS).until(() -> c.store().eventCount() == 10);

                pg.stop();
                link.publish(DepartedCoordinatorTest.crossings(10, 15));
                await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> {
                    HttpResponse<String> h = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + c.httpPort()
                            + "/healthz")).build(), HttpResponse.BodyHandlers.ofString());
                    assertThat(h.statusCode()).isEqualTo(503);
                    assertThat(h.body()).contains("store");
                });
                pg.restart();
                await().atMost(60, TimeUnit.SECONDS).until(() -> {
                    try {
                        return c.store().eventCount() == 25;
                    } catch (RuntimeException stillAway) {
                        return false;
                    }
                });
                assertThat(c.store().totals("door")).containsEntry("door.in", 25L);
                await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + c.httpPort() + "/healthz")).build(),
                        HttpResponse.BodyHandlers.ofString()).body()).contains("\"status\":\"ok\""));
            }
        }
    }

    static String get(HttpClient http, Coordinator c, String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + c.httpPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path).isEqualTo(200);
        return r.body();
    }

    @Test
    void coordinatorsOfOneStoreAnswerAlikeAndOneThatWasAwayMissesNothing(@TempDir Path dir) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        try (PostgresServer pg = PostgresServer.start();
             TestingServer zk = new TestingServer(true);
             Coordinator stays = Coordinator.start(config(zk.getConnectString(), "c1", dir.resolve("c1"), pg));
             CuratorFramework curator = ZkClients.newClient(zk.getConnectString())) {
            curator.start();
            curator.blockUntilConnected(10, TimeUnit.SECONDS);
            Coordinator away = Coordinator.start(config(zk.getConnectString(), "c2", dir.resolve("c2"), pg));
            assertThat(away.store().storeId()).isEqualTo(stays.store().storeId());
            try (ClusterView view = new ClusterView(curator, new ZkPaths(ZkPaths.DEFAULT_ROOT)).start();
                 CoordinatorLink link = new CoordinatorLink(view, "agent-1", "", new SimpleMeterRegistry(), null)) {
                await().atMost(10, TimeUnit.SECONDS).until(() -> view.coordinators().size() == 2);
                link.publish(DepartedCoordinatorTest.crossings(0, 10));
                await().atMost(20, TimeUnit.SECONDS).until(() -> stays.store().eventCount() == 10);
                String counts = "/v1/streams/door/counts?from=0&to=3600000&bucket=1m";
                await().atMost(10, TimeUnit.SECONDS).until(() -> link.parked() == 0);
                assertThat(get(http, away, counts)).isEqualTo(get(http, stays, counts));

                away.close(); // an outage of one coordinator
                await().atMost(10, TimeUnit.SECONDS).until(() -> view.coordinators().size() == 1);
                link.publish(DepartedCoordinatorTest.crossings(10, 21));
                await().atMost(20, TimeUnit.SECONDS).until(() -> stays.store().eventCount() == 31);
                // the events the away one missed are in its store already: the link holds nothing for it
                await().atMost(10, TimeUnit.SECONDS).until(() -> link.parked() == 0);

                try (Coordinator back = Coordinator.start(config(zk.getConnectString(), "c2-restarted", dir.resolve("c2"), pg))) {
                    assertThat(back.store().eventCount()).isEqualTo(31); // at once, before any agent resends
                    assertThat(back.store().totals("door")).containsEntry("door.in", 31L);
                    assertThat(get(http, back, counts)).isEqualTo(get(http, stays, counts)).contains("\"door.in\"");
                    assertThat(get(http, back, "/v1/streams/door/totals")).isEqualTo(get(http, stays, "/v1/streams/door/totals"));
                    assertThat(get(http, back, "/v1/streams/door/totals?kind=zone")).contains("\"totals\":{}");
                    // an answer of millions of buckets is refused, not built
                    HttpResponse<String> huge = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                            + back.httpPort() + "/v1/streams/door/counts?from=0&to=4000000000000&bucket=1s")).build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertThat(huge.statusCode()).isEqualTo(400);
                    assertThat(huge.body()).contains("BAD_REQUEST", "buckets");
                }
            }
        }
    }
}
