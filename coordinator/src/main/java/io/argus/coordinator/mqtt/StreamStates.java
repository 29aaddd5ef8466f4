package io.argus.coordinator.mqtt;

import org.jspecify.annotations.Nullable;
import io.argus.coordinator.store.EventStore;
import io.argus.protocol.v1.Event;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The retained state of each stream on MQTT: crossings per line direction (the store's totals),
 * occupancy per zone, and the Home Assistant sensors for them. Ingest only marks what changed
 * ({@link #changed}); the publisher's thread asks the store for totals ({@link #collect}), so
 * the database read never delays ingest and a burst of crossings costs one query per stream.
 *
 * <p>Zone occupancy is counted here from the entries and exits this coordinator stored while it
 * published (the store keeps no occupancy), floored at zero: after a change of leader it starts
 * again from zero and is right again once the zones have emptied.
 */
final class StreamStates {
    private final EventStore store;
    private final MqttTopics topics;
    private final @Nullable HomeAssistantDiscovery discovery;
    private final Set<String> dirtyStreams = new HashSet<>();
    private final Map<String, Map<String, Long>> occupancy = new HashMap<>();
    private final Set<String> dirtyZones = new HashSet<>();

    StreamStates(EventStore store, MqttTopics topics, @Nullable HomeAssistantDiscovery discovery) {
        this.store = store;
        this.topics = topics;
        this.discovery = discovery;
    }

    /** Notes what newly stored events change; cheap, on the ingest thread. */
    synchronized void changed(List<Event> events) {
        for (Event e : events) {
            switch (e.getType()) {
                case "crossing" -> dirtyStreams.add(e.getStreamId());
                case "zone_enter", "zone_exit" -> {
                    String zone = e.getAttributesOrDefault("zone", "");
                    long delta = e.getType().equals("zone_enter") ? 1 : -1;
                    occupancy.computeIfAbsent(e.getStreamId(), s -> new HashMap<>())
                            .merge(zone, delta, (a, b) -> Math.max(0, a + b));
                    dirtyZones.add(e.getStreamId() + "\n" + zone);
                }
                default -> {
                }
            }
        }
    }

    /** Emits the state messages of what changed since the last call; on the publisher thread. */
    void collect(Consumer<MqttMessage> out) {
        Set<String> streams;
        Map<String, Long> zones = new HashMap<>();
        synchronized (this) {
            streams = new HashSet<>(dirtyStreams);
            dirtyStreams.clear();
            for (String key : dirtyZones) {
                int nl = key.indexOf('\n');
                zones.put(key, Math.max(0, occupancy.getOrDefault(key.substring(0, nl), Map.of()).getOrDefault(key.substring(nl + 1), 0L)));
            }
            dirtyZones.clear();
        }
        for (String stream : streams) {
            // keys are "line.direction"; a line name may itself contain dots, the direction never does
            for (Map.Entry<String, Long> t : store.totals(stream).entrySet()) {
                int dot = t.getKey().lastIndexOf('.');
                String line = t.getKey().substring(0, dot);
                String direction = t.getKey().substring(dot + 1);
                if (discovery != null) {
                    out.accept(discovery.lineSensor(stream, line, direction));
                }
                out.accept(MqttMessage.state(topics.lineCount(stream, line, direction), Long.toString(t.getValue())));
            }
        }
        for (Map.Entry<String, Long> z : zones.entrySet()) {
            int nl = z.getKey().indexOf('\n');
            String stream = z.getKey().substring(0, nl);
            String zone = z.getKey().substring(nl + 1);
            if (discovery != null) {
                out.accept(discovery.zoneSensor(stream, zone));
            }
            out.accept(MqttMessage.state(topics.zoneOccupancy(stream, zone), Long.toString(z.getValue())));
        }
    }
}
