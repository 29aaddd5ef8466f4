package io.argus.coordinator.mqtt;

import java.nio.charset.StandardCharsets;

/** One message to publish; retained ones are state, of which the broker keeps the latest per topic. */
public record MqttMessage(String topic, byte[] payload, boolean retained) {
    public static MqttMessage state(String topic, String payload) {
        return new MqttMessage(topic, payload.getBytes(StandardCharsets.UTF_8), true);
    }

    public String text() {
        return new String(payload, StandardCharsets.UTF_8);
    }
}
