package io.argus.coordinator.mqtt;

import org.jspecify.annotations.Nullable;
import io.argus.protocol.tls.TlsSettings;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

import javax.net.ssl.SSLSocketFactory;
import java.nio.charset.StandardCharsets;

/**
 * One Paho client and how it connects: a clean session (what is not yet acknowledged is kept by
 * {@link MqttPublisher}, not by Paho), no automatic reconnection (the publisher reconnects, with
 * its backoff), {@code offline} retained on the availability topic as the will, credentials and,
 * for {@code ssl://}, the cluster's CA and certificate when the coordinator has TLS settings.
 */
final class BrokerConnection implements AutoCloseable {
    private final MqttClient client;
    private final MqttConnectOptions options;
    private final MqttConfig cfg;

    BrokerConnection(MqttConfig cfg, String clientId, String willTopic, @Nullable TlsSettings tls) throws MqttException {
        this.cfg = cfg;
        // in memory: a message survives a reconnection in MqttPublisher's queue, never a restart
        this.client = new MqttClient(cfg.url(), clientId, new MemoryPersistence());
        client.setTimeToWait(cfg.timeoutMs());
        this.options = new MqttConnectOptions();
        options.setCleanSession(true);
        options.setAutomaticReconnect(false);
        options.setConnectionTimeout(Math.max(1, cfg.timeoutMs() / 1000));
        options.setKeepAliveInterval(cfg.keepAliveS());
        options.setWill(willTopic, "offline".getBytes(StandardCharsets.UTF_8), cfg.qos(), true);
        if (cfg.username() != null) {
            options.setUserName(cfg.username());
            char[] password = cfg.password();
            if (password != null) {
                options.setPassword(password);
            }
        }
        if (cfg.tls() && tls != null) {
            options.setSocketFactory(socketFactory(tls));
        }
    }

    private static SSLSocketFactory socketFactory(TlsSettings tls) {
        try {
            return tls.jdkClientContext().getSocketFactory();
        } catch (Exception e) {
            throw new IllegalArgumentException("cannot use the TLS settings for MQTT: " + e.getMessage(), e);
        }
    }

    void connect() throws MqttException {
        client.connect(options);
    }

    boolean connected() {
        return client.isConnected();
    }

    /** Returns once the broker has the message (QoS 1 and 2) or it is written (QoS 0). */
    void publish(MqttMessage m) throws MqttException {
        client.publish(m.topic(), m.payload(), cfg.qos(), m.retained());
    }

    void disconnect() {
        try {
            if (client.isConnected()) {
                client.disconnect(cfg.timeoutMs());
            }
        } catch (MqttException e) {
            try {
                client.disconnectForcibly(0, 0);
            } catch (MqttException ignored) {
                // already gone: nothing to release
            }
        }
    }

    @Override
    public void close() {
        disconnect();
        try {
            client.close(true);
        } catch (MqttException ignored) {
            // closing a client that never connected; its threads are gone either way
        }
    }
}
