package io.argus.coordinator.mqtt;

import org.jspecify.annotations.Nullable;
import io.argus.cluster.Assignment;
import io.argus.cluster.ClusterView;
import io.argus.coordinator.ingest.NewEvents;
import io.argus.coordinator.store.EventStore;
import io.argus.protocol.tls.TlsSettings;
import io.argus.protocol.v1.Event;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * What a coordinator tells MQTT: every event its store took for the first time (on the events
 * topic), the counts those change (retained, with their Home Assistant sensors) and changes of the
 * agent that runs a stream. Only while it leads: agents send every event to every coordinator,
 * and only the leader publishes, so each event appears once.
 */
public final class MqttFeed implements NewEvents, AutoCloseable {
    private final MqttPublisher publisher;
    private final StreamStates states;
    private final MqttTopics topics;
    private final ClusterView view;
    private final Runnable viewListener = this::assignmentsChanged;
    private final Map<String, String> agents = new HashMap<>();

    private MqttFeed(MqttConfig cfg, String coordinatorId, @Nullable TlsSettings tls, EventStore store, ClusterView view,
                     BooleanSupplier leader, MeterRegistry metrics) {
        this.topics = new MqttTopics(cfg.topicPrefix());
        this.view = view;
        this.states = new StreamStates(store, topics,
                cfg.discovery() ? new HomeAssistantDiscovery(cfg.discoveryPrefix(), topics) : null);
        this.publisher = new MqttPublisher(cfg, topics,
                () -> new BrokerConnection(cfg, cfg.clientId(coordinatorId), topics.available(), tls), leader,
                states, metrics);
    }

    /** Starts publishing (while {@code leader} says so); the caller hands it to the event server. */
    public static MqttFeed start(MqttConfig cfg, String coordinatorId, @Nullable TlsSettings tls, EventStore store,
                                 ClusterView view, BooleanSupplier leader, MeterRegistry metrics) {
        MqttFeed feed = new MqttFeed(cfg, coordinatorId, tls, store, view, leader, metrics);
        feed.publisher.start();
        if (view != null) {
            view.addListener(feed.viewListener);
            feed.assignmentsChanged();
        }
        return feed;
    }

    @Override
    public boolean wanted() {
        return publisher.active();
    }

    @Override
    public void stored(List<Event> events) {
        for (Event e : events) {
            publisher.offer(new MqttMessage(topics.events(), EventJson.of(e), false));
        }
        states.changed(events);
    }

    /** On ZooKeeper's event thread: compares assignments with the last seen, cheap and non-blocking. */
    private synchronized void assignmentsChanged() {
        Map<String, String> now = new HashMap<>();
        for (Map.Entry<String, Assignment> a : view.assignments().entrySet()) {
            now.put(a.getKey(), a.getValue().agent());
        }
        Map<String, String> changes = new HashMap<>();
        now.forEach((stream, agent) -> {
            if (!agent.equals(agents.get(stream))) {
                changes.put(stream, agent);
            }
        });
        agents.keySet().stream().filter(s -> !now.containsKey(s)).forEach(s -> changes.put(s, ""));
        agents.clear();
        agents.putAll(now);
        if (!publisher.active()) {
            return;
        }
        long t = System.currentTimeMillis();
        changes.forEach((stream, agent) -> {
            publisher.putState(MqttMessage.state(topics.streamAgent(stream), agent));
            publisher.offer(new MqttMessage(topics.events(), EventJson.assignment(stream, agent, t), false));
        });
    }

    @Override
    public void close() {
        if (view != null) {
            view.removeListener(viewListener);
        }
        publisher.close();
    }
}
