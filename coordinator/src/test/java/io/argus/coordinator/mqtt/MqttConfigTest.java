package io.argus.coordinator.mqtt;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every MQTT setting is range-checked when built, and the error names it; nothing is clamped. */
class MqttConfigTest {
    static void refused(UnaryOperator<MqttConfig.Builder> change, String setting) {
        assertThatThrownBy(() -> change.apply(MqttConfig.builder()).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(setting);
    }

    @Test
    void theDefaultIsOffAndUsesTheConstants() {
        MqttConfig c = MqttConfig.DEFAULT;
        assertThat(c.enabled()).isFalse();
        assertThat(c.url()).isEqualTo(MqttConfig.DEFAULT_URL);
        assertThat(c.topicPrefix()).isEqualTo(MqttConfig.DEFAULT_TOPIC_PREFIX);
        assertThat(c.discoveryPrefix()).isEqualTo(MqttConfig.DEFAULT_DISCOVERY_PREFIX);
        assertThat(c.discovery()).isEqualTo(MqttConfig.DEFAULT_DISCOVERY);
        assertThat(c.qos()).isEqualTo(MqttConfig.DEFAULT_QOS);
        assertThat(c.queueCapacity()).isEqualTo(MqttConfig.DEFAULT_QUEUE_CAPACITY);
        assertThat(c.reconnectInitialMs()).isEqualTo(MqttConfig.DEFAULT_RECONNECT_INITIAL_MS);
        assertThat(c.reconnectMaxMs()).isEqualTo(MqttConfig.DEFAULT_RECONNECT_MAX_MS);
        assertThat(c.timeoutMs()).isEqualTo(MqttConfig.DEFAULT_TIMEOUT_MS);
        assertThat(c.keepAliveS()).isEqualTo(MqttConfig.DEFAULT_KEEP_ALIVE_S);
        assertThat(c.clientId("c1")).isEqualTo("argus-c1");
        assertThat(MqttConfig.builder().url("ssl://b:8883").build().tls()).isTrue();
    }

    @Test
    void settingsOutOfRangeAreRefusedByName() {
        refused(b -> b.qos(3), "qos");
        refused(b -> b.qos(-1), "qos");
        refused(b -> b.queueCapacity(0), "queueCapacity");
        refused(b -> b.reconnectInitialMs(1), "reconnectInitialMs");
        refused(b -> b.reconnectInitialMs(1_000).reconnectMaxMs(999), "reconnectMaxMs");
        refused(b -> b.timeoutMs(10), "timeoutMs");
        refused(b -> b.keepAliveS(0), "keepAliveS");
        refused(b -> b.url("http://broker"), "url");
        refused(b -> b.topicPrefix("argus/#"), "topicPrefix");
        refused(b -> b.topicPrefix("/argus"), "topicPrefix");
        refused(b -> b.topicPrefix(""), "topicPrefix");
        refused(b -> b.discoveryPrefix("home+assistant"), "discoveryPrefix");
    }

    @Test
    void credentialsComeFromAFileAndTheyAreNotPrinted(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("mqtt"), "argus\ns3cret\n");
        MqttConfig c = MqttConfig.builder().url("tcp://127.0.0.1:1883").credentialsFile(f).build();
        assertThat(c.username()).isEqualTo("argus");
        assertThat(c.password()).containsExactly("s3cret".toCharArray());
        assertThat(c.toString()).doesNotContain("s3cret");
        Path empty = Files.writeString(dir.resolve("empty"), "\n");
        assertThatThrownBy(() -> MqttConfig.builder().credentialsFile(empty)).hasMessageContaining("credentialsFile");
    }

    @Test
    void namesBecomeTopicLevelsAndDiscoveryIds() {
        MqttTopics t = new MqttTopics("site/argus");
        assertThat(t.lineCount("cam/1", "door#2", "in")).isEqualTo("site/argus/cam_1/line/door_2/in");
        assertThat(t.zoneOccupancy("cam", "a+b")).isEqualTo("site/argus/cam/zone/a_b");
        assertThat(HomeAssistantDiscovery.objectId("front door.é")).isEqualTo("front_door__");
    }
}
