package io.argus.coordinator.mqtt;

import io.argus.cluster.tls.CertificateAuthority;
import io.argus.coordinator.Coordinator;
import io.argus.coordinator.CoordinatorConfig;
import io.argus.protocol.tls.TlsSettings;
import org.apache.curator.test.TestingServer;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
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

    /**
     * A broker with a password file: the coordinator logs in with the user and password of its
     * credentials file and publishes; one with a wrong password is refused, says so in its metrics,
     * and publishes nothing.
     */
    @Test
    void theCoordinatorLogsInToABrokerThatRequiresAPassword(@TempDir Path dir) throws Exception {
        try (MosquittoBroker broker = new MosquittoBroker(dir.resolve("broker")).withPassword("argus", "s3cret-pw").start();
             TestingServer zk = new TestingServer(true);
             MqttSubscriber reader = new MqttSubscriber(broker.url(), "test-reader", false, "argus", "s3cret-pw".toCharArray(),
                     "argus/available", "wrong/available")) {
            // the broker really demands it: an anonymous client is refused
            assertThatThrownBy(() -> new MqttSubscriber(broker.url(), "test-anonymous", false, "argus/#"))
                    .isInstanceOf(MqttException.class);
            Files.writeString(dir.resolve("right"), "argus\ns3cret-pw\n");
            Files.writeString(dir.resolve("wrong"), "argus\nnot-it\n");
            try (Coordinator c = Coordinator.start(CoordinatorConfig.builder().id("c1").zkConnect(zk.getConnectString())
                    .httpPort(0).dataDir(dir.resolve("c1")).sessionTimeoutMs(4_000).minFreeDiskBytes(0)
                    .mqtt(MqttConfig.builder().url(broker.url()).credentialsFile(dir.resolve("right")).build()).build());
                 Coordinator wrong = Coordinator.start(CoordinatorConfig.builder().id("c9").zkConnect(zk.getConnectString())
                         .zkRoot("/other").httpPort(0).dataDir(dir.resolve("c9")).sessionTimeoutMs(4_000).minFreeDiskBytes(0)
                         .mqtt(MqttConfig.builder().url(broker.url()).topicPrefix("wrong")
                                 .credentialsFile(dir.resolve("wrong")).build()).build())) {
                await().atMost(20, TimeUnit.SECONDS)
                        .until(() -> !reader.on("argus/available").isEmpty());
                assertThat(reader.on("argus/available").get(0).payload()).isEqualTo("online");
                await().atMost(20, TimeUnit.SECONDS)
                        .until(() -> MqttPublishingTest.metric(wrong, "argus_mqtt_connect_failures_total", "") > 0);
                assertThat(MqttPublishingTest.metric(wrong, "argus_mqtt_connected", "")).isZero();
            }
            assertThat(reader.on("wrong/available")).isEmpty();
        }
    }
}
