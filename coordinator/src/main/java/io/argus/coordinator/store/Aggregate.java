package io.argus.coordinator.store;

import io.argus.protocol.v1.Event;
import org.jspecify.annotations.Nullable;

/**
 * What an event adds to the counts: a crossing adds one to its line's direction ({@code in},
 * {@code out}), a zone entry or exit one to its zone's {@code enter} or {@code exit}. Other events
 * (text readings, watch hits) are not counted.
 *
 * @param kind {@code line} or {@code zone}
 */
record Aggregate(String kind, String name, String direction) {
    static final String LINE = "line";
    static final String ZONE = "zone";

    static @Nullable Aggregate of(Event e) {
        switch (e.getType()) {
            case "crossing" -> {
                return new Aggregate(LINE, e.getAttributesMap().getOrDefault("line", ""),
                        e.getAttributesMap().getOrDefault("direction", ""));
            }
            case "zone_enter" -> {
                return new Aggregate(ZONE, e.getAttributesMap().getOrDefault("zone", ""), "enter");
            }
            case "zone_exit" -> {
                return new Aggregate(ZONE, e.getAttributesMap().getOrDefault("zone", ""), "exit");
            }
            default -> {
                return null;
            }
        }
    }

    /** The zone of a zone event (stored as a column), else null. */
    static @Nullable String zoneOf(Event e) {
        return e.getType().startsWith("zone_") ? e.getAttributesMap().get("zone") : null;
    }
}
