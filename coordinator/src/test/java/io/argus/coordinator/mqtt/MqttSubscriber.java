package io.argus.coordinator.mqtt;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** A real Paho client that subscribes and keeps what arrives, as an operator's system would. */
final class MqttSubscriber implements AutoCloseable {
    record Received(String topic, String payload, boolean retained) {
    }

    private final MqttClient client;
    private final List<Received> received = new ArrayList<>();

    /** @param persistentSession keep the subscription and its QoS 1 messages at the broker while away */
    MqttSubscriber(String url, String clientId, boolean persistentSession, String... filters) throws MqttException {
        this(url, clientId, persistentSession, null, null, filters);
    }

    /** As above, logging in as {@code user} (null: anonymously). */
    MqttSubscriber(String url, String clientId, boolean persistentSession, @Nullable String user, char @Nullable [] password,
                   String... filters) throws MqttException {
        client = new MqttClient(url, clientId, new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(!persistentSession);
        if (user != null) {
            o.setUserName(user);
            o.setPassword(password);
        }
        client.setCallback(new org.eclipse.paho.client.mqttv3.MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
            }

            @Override
            public void messageArrived(String topic, org.eclipse.paho.client.mqttv3.MqttMessage m) {
                synchronized (received) {
                    received.add(new Received(topic, new String(m.getPayload(), StandardCharsets.UTF_8), m.isRetained()));
                }
            }

            @Override
            public void deliveryComplete(org.eclipse.paho.client.mqttv3.IMqttDeliveryToken token) {
            }
        });
        client.connect(o);
        for (String f : filters) {
            client.subscribe(f, 1);
        }
    }

    List<Received> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    List<Received> on(String topic) {
        return received().stream().filter(r -> r.topic().equals(topic)).toList();
    }

    /** Leaves without ending a persistent session: the broker keeps its messages until it is back. */
    void disconnect() throws MqttException {
        client.disconnect();
    }

    @Override
    public void close() throws MqttException {
        if (client.isConnected()) {
            client.disconnect();
        }
        client.close();
    }
}
