package io.argus.coordinator.mqtt;

import org.jspecify.annotations.Nullable;
import io.argus.coordinator.store.EventStore;
import io.argus.protocol.v1.Event;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The retained state of each stream on MQTT: crossings per line direction and occupancy per zone,
 * both from the store's running totals (occupancy is entries minus exits, floored at zero), and the
 * Home Assistant sensors for them. Ingest only marks which streams changed ({@link #changed}); the
 * publisher's thread asks the store ({@link #collect}), so the database read never delays ingest
 * and a burst of crossings costs one query per stream.
 *
 * <p>Because the numbers come from the store, not from what this coordinator saw, a coordinator that
 * becomes leader publishes the whole current state at once ({@link #forget} marks everything for
 * the next collection): retained counts and occupancy are right from its first message, not from the
 * next event of each stream.
 */
final class StreamStates implements MqttPublisher.StateSource {
    private final EventStore store;
    private final MqttTopics topics;
    private final @Nullable HomeAssistantDiscovery discovery;
    private final Set<String> dirtyLines = new HashSet<>();
    private final Set<String> dirtyZones = new HashSet<>();
    private boolean everything = true;

    StreamStates(EventStore store, MqttTopics topics, @Nullable HomeAssistantDiscovery discovery) {
        this.store = store;
        this.topics = topics;
        this.discovery = discovery;
    }

    /** Notes what newly stored events change; cheap, on the ingest thread. */
    synchronized void changed(List<Event> events) {
        for (Event e : events) {
            switch (e.getType()) {
                case "crossing" -> dirtyLines.add(e.getStreamId());
                case "zone_enter", "zone_exit" -> dirtyZones.add(e.getStreamId());
                default -> {
                }
            }
        }
    }

    /** Standing by: nothing is pending, and the next collection (as leader) publishes everything. */
    @Override
    public synchronized void forget() {
        dirtyLines.clear();
        dirtyZones.clear();
        everything = true;
    }

    /** Emits the state messages of what changed since the last call; on the publisher thread. */
    @Override
    public void collect(Consumer<MqttMessage> out) {
        Set<String> lines;
        Set<String> zones;
        boolean all;
        synchronized (this) {
            lines = new HashSet<>(dirtyLines);
            zones = new HashSet<>(dirtyZones);
            dirtyLines.clear();
            dirtyZones.clear();
            all = everything;
            everything = false;
        }
        try {
            if (all) {
                Set<String> streams = new HashSet<>(store.countedStreams());
                lines.addAll(streams);
                zones.addAll(streams);
            }
            for (String stream : lines) {
                for (Map.Entry<String, Long> t : store.totals(stream, EventStore.CountKind.LINE).entrySet()) {
                    String[] nd = split(t.getKey());
                    if (discovery != null) {
                        out.accept(discovery.lineSensor(stream, nd[0], nd[1]));
                    }
                    out.accept(MqttMessage.state(topics.lineCount(stream, nd[0], nd[1]), Long.toString(t.getValue())));
                }
            }
            for (String stream : zones) {
                Map<String, Long> occupancy = new TreeMap<>();
                for (Map.Entry<String, Long> t : store.totals(stream, EventStore.CountKind.ZONE).entrySet()) {
                    String[] nd = split(t.getKey());
                    occupancy.merge(nd[0], nd[1].equals("enter") ? t.getValue() : -t.getValue(), Long::sum);
                }
                for (Map.Entry<String, Long> z : occupancy.entrySet()) {
                    if (discovery != null) {
                        out.accept(discovery.zoneSensor(stream, z.getKey()));
                    }
                    out.accept(MqttMessage.state(topics.zoneOccupancy(stream, z.getKey()), Long.toString(Math.max(0, z.getValue()))));
                }
            }
        } catch (RuntimeException e) {
            synchronized (this) { // the store failed: ask again next time rather than lose the change
                dirtyLines.addAll(lines);
                dirtyZones.addAll(zones);
                everything |= all;
            }
            throw e;
        }
    }

    /** "name.direction": a name may itself contain dots, the direction never does. */
    private static String[] split(String key) {
        int dot = key.lastIndexOf('.');
        return new String[] {key.substring(0, dot), key.substring(dot + 1)};
    }
}
