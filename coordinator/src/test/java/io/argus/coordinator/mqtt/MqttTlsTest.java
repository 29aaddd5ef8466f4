package io.argus.coordinator.mqtt;

import io.argus.cluster.tls.CertificateAuthority;
import io.argus.coordinator.Coordinator;
import io.argus.coordinator.CoordinatorConfig;
import io.argus.protocol.tls.TlsSettings;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code ssl://} with the cluster's TLS settings: a real Mosquitto that only takes clients with a
 * certificate of the cluster CA, and the coordinator gets in (it says {@code online}); a second
 * coordinator whose CA the broker does not know stays out.
 */
class MqttTlsTest {
    @Test
    void theCoordinatorPublishesOverTlsWithTheClusterCertificates(@TempDir Path dir) throws Exception {
        Path pki = dir.resolve("pki");
        CertificateAuthority.createCluster(pki, List.of("broker", "coordinator"), List.of(), Duration.ofDays(1));
        CertificateAuthority.createCluster(dir.resolve("rogue"), List.of("coordinator"), List.of(), Duration.ofDays(1));
        try (MosquittoBroker broker = new MosquittoBroker(dir.resolve("broker")).withTls(pki, "broker").start();
             TestingServer zk = new TestingServer(true);
             MqttSubscriber plain = new MqttSubscriber(broker.url(), "test-plain", false, "argus/available", "rogue/available")) {
            MqttConfig mqtt = MqttConfig.builder().url(broker.tlsUrl()).build();
            try (Coordinator c = Coordinator.start(CoordinatorConfig.builder().id("c1").zkConnect(zk.getConnectString())
                    .bindHost("127.0.0.1").httpPort(0).dataDir(dir.resolve("c1")).minFreeDiskBytes(0)
                    .tls(TlsSettings.fromDirectory(pki, "coordinator", false)).mqtt(mqtt).build());
                 Coordinator rogue = Coordinator.start(CoordinatorConfig.builder().id("c2").zkConnect(zk.getConnectString())
                         .zkRoot("/rogue").bindHost("127.0.0.1").httpPort(0).dataDir(dir.resolve("c2")).minFreeDiskBytes(0)
                         .tls(TlsSettings.fromDirectory(dir.resolve("rogue"), "coordinator", false))
                         .mqtt(MqttConfig.builder().url(broker.tlsUrl()).topicPrefix("rogue").build()).build())) {
                await().atMost(20, TimeUnit.SECONDS).until(() -> c.isLeader() && rogue.isLeader());
                await().atMost(20, TimeUnit.SECONDS).until(() -> !plain.on("argus/available").isEmpty());
                assertThat(plain.on("argus/available").get(0).payload()).isEqualTo("online");
            }
            // the rogue coordinator led its own cluster all along and never got in
            assertThat(plain.on("rogue/available")).isEmpty();
        }
    }
}
