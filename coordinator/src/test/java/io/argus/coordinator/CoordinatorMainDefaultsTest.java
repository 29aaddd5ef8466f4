package io.argus.coordinator;

import io.argus.coordinator.store.StoreSettings;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line's defaults are the configuration's constants, not copies of them that may drift. */
class CoordinatorMainDefaultsTest {
    @Test
    void optionsLeftOutTakeTheConfigurationDefaults() {
        CoordinatorMain main = new CoordinatorMain();
        new CommandLine(main).parseArgs("--zk", "127.0.0.1:1", "--data-dir", "unused");
        CoordinatorConfig defaults = CoordinatorConfig.builder().id("d").zkConnect("127.0.0.1:1")
                .dataDir(Path.of("unused")).build();
        assertThat(main.httpPort).isEqualTo(defaults.httpPort());
        assertThat(main.eventPort).isEqualTo(defaults.eventPort());
        assertThat(main.advertise).isEqualTo(defaults.advertiseHost());
        assertThat(main.node.zkRoot()).isEqualTo(defaults.zkRoot());
        assertThat(main.node.sessionTimeoutMs()).isEqualTo(defaults.sessionTimeoutMs());
        assertThat(main.imageTimeoutMs).isEqualTo(defaults.imageTimeoutMs());
        assertThat(main.maxImages).isEqualTo(defaults.images().maxImages());
        assertThat(main.rate).isEqualTo(defaults.ratePerSecond());
        assertThat(main.rateClients).isEqualTo(defaults.rateLimitMaxClients());
        assertThat(main.rateIdleMs).isEqualTo(defaults.rateLimitIdleMs());
        assertThat(main.requestDeadlineMs).isEqualTo(defaults.requestDeadlineMs());
        assertThat(main.maxConnections).isEqualTo(defaults.maxConnections());
        assertThat(main.maxConnectionsPerAddress).isEqualTo(defaults.maxConnectionsPerAddress());
        assertThat(main.blockingQueue).isEqualTo(defaults.blockingQueue());
        assertThat(main.healthTimeoutMs).isEqualTo(defaults.healthTimeoutMs());
        assertThat(main.minFreeDiskMb * 1024 * 1024).isEqualTo(defaults.minFreeDiskBytes());
        assertThat(main.storeWriteReserveMb * 1024 * 1024).isEqualTo(StoreSettings.DEFAULT_WRITE_RESERVE_BYTES);
        io.argus.coordinator.mqtt.MqttConfig mqtt = main.mqttConfig();
        io.argus.coordinator.mqtt.MqttConfig mqttDefaults = defaults.mqtt();
        assertThat(mqtt.enabled()).isFalse();
        assertThat(mqtt.url()).isEqualTo(mqttDefaults.url());
        assertThat(mqtt.clientId()).isEqualTo(mqttDefaults.clientId());
        assertThat(mqtt.topicPrefix()).isEqualTo(mqttDefaults.topicPrefix());
        assertThat(mqtt.discoveryPrefix()).isEqualTo(mqttDefaults.discoveryPrefix());
        assertThat(mqtt.discovery()).isEqualTo(mqttDefaults.discovery());
        assertThat(mqtt.qos()).isEqualTo(mqttDefaults.qos());
        assertThat(mqtt.queueCapacity()).isEqualTo(mqttDefaults.queueCapacity());
        assertThat(mqtt.reconnectInitialMs()).isEqualTo(mqttDefaults.reconnectInitialMs());
        assertThat(mqtt.reconnectMaxMs()).isEqualTo(mqttDefaults.reconnectMaxMs());
        assertThat(mqtt.timeoutMs()).isEqualTo(mqttDefaults.timeoutMs());
        assertThat(mqtt.keepAliveS()).isEqualTo(mqttDefaults.keepAliveS());
        assertThat(mqtt.username()).isNull();
    }
}
