package io.argus.coordinator.mqtt;

import org.jspecify.annotations.Nullable;
import io.argus.cluster.AgentDirectory;
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
 * topic), the counts those change (retained, with their Home Assistant sensors), changes of the
 * agent that runs a stream, and agents coming and going ({@code agent_up}, {@code agent_down},
 * retained {@code PREFIX/available/AGENT}). Only while it leads: agents send every event to every
 * coordinator, and only the leader publishes, so each event appears once. A coordinator that
 * becomes leader publishes the whole retained state first (counts, occupancy, assignments,
 * agents), so nothing that changed while no one published stays stale on the broker.
 */
public final class MqttFeed implements NewEvents, AutoCloseable, MqttPublisher.StateSource {
    private final MqttPublisher publisher;
    private final StreamStates states;
    private final MqttTopics topics;
    private final ClusterView view;
    private final Runnable viewListener = this::assignmentsChanged;
    private final Map<String, String> agents = new HashMap<>();
    private final @Nullable AgentDirectory directory;
    private final Runnable directoryListener = this::membershipChanged;
    /** Agents seen live, and whether they are now; kept across leadership, so that one gone meanwhile is said offline. */
    private final Map<String, Boolean> knownAgents = new HashMap<>();
    private boolean republishMembership = true;

    private MqttFeed(MqttConfig cfg, String coordinatorId, @Nullable TlsSettings tls, EventStore store, ClusterView view,
                     @Nullable AgentDirectory directory, BooleanSupplier leader, MeterRegistry metrics) {
        this.topics = new MqttTopics(cfg.topicPrefix());
        this.view = view;
        this.directory = directory;
        this.states = new StreamStates(store, topics,
                cfg.discovery() ? new HomeAssistantDiscovery(cfg.discoveryPrefix(), topics) : null);
        this.publisher = new MqttPublisher(cfg, topics,
                () -> new BrokerConnection(cfg, cfg.clientId(coordinatorId), topics.available(), tls), leader,
                this, metrics);
    }

    /** Starts publishing (while {@code leader} says so); the caller hands it to the event server. */
    public static MqttFeed start(MqttConfig cfg, String coordinatorId, @Nullable TlsSettings tls, EventStore store,
                                 ClusterView view, BooleanSupplier leader, MeterRegistry metrics) {
        return start(cfg, coordinatorId, tls, store, view, null, leader, metrics);
    }

    /** As above, also telling agents coming and going from {@code directory}. */
    public static MqttFeed start(MqttConfig cfg, String coordinatorId, @Nullable TlsSettings tls, EventStore store,
                                 ClusterView view, @Nullable AgentDirectory directory, BooleanSupplier leader,
                                 MeterRegistry metrics) {
        MqttFeed feed = new MqttFeed(cfg, coordinatorId, tls, store, view, directory, leader, metrics);
        feed.publisher.start();
        if (view != null) {
            view.addListener(feed.viewListener);
            feed.assignmentsChanged();
        }
        if (directory != null) {
            directory.addListener(feed.directoryListener);
            feed.membershipChanged();
        }
        return feed;
    }

    /** On the publisher's thread: counts and occupancy, then (as a new leader) assignments and agents. */
    @Override
    public void collect(java.util.function.Consumer<MqttMessage> out) {
        states.collect(out);
        Map<String, String> assigned;
        Map<String, Boolean> known;
        synchronized (this) {
            if (!republishMembership) {
                return;
            }
            republishMembership = false;
            assigned = new HashMap<>(agents);
            known = new HashMap<>(knownAgents);
        }
        assigned.forEach((stream, agent) -> out.accept(MqttMessage.state(topics.streamAgent(stream), agent)));
        known.forEach((agent, up) -> out.accept(MqttMessage.state(topics.agentAvailable(agent), up ? "online" : "offline")));
    }

    @Override
    public void forget() {
        states.forget();
        synchronized (this) {
            republishMembership = true;
        }
    }

    /** On ZooKeeper's event thread: agents that came or went since the last call. */
    private synchronized void membershipChanged() {
        if (directory == null) {
            return;
        }
        java.util.Set<String> live = new java.util.HashSet<>();
        directory.agents().forEach(a -> live.add(a.id()));
        Map<String, Boolean> changes = new HashMap<>();
        for (String a : live) {
            if (!Boolean.TRUE.equals(knownAgents.get(a))) {
                changes.put(a, true);
            }
        }
        knownAgents.forEach((a, up) -> {
            if (up && !live.contains(a)) {
                changes.put(a, false);
            }
        });
        knownAgents.putAll(changes);
        if (!publisher.active()) {
            return; // published in full when this coordinator leads
        }
        long t = System.currentTimeMillis();
        changes.forEach((agent, up) -> {
            publisher.putState(MqttMessage.state(topics.agentAvailable(agent), up ? "online" : "offline"));
            publisher.offer(new MqttMessage(topics.events(), EventJson.agent(agent, up, t), false));
        });
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
        if (directory != null) {
            directory.removeListener(directoryListener);
        }
        publisher.close();
    }
}
