package io.argus.coordinator.store;

import io.argus.protocol.v1.Event;
import org.jspecify.annotations.Nullable;

/**
 * The sizes of the columns an event is stored in, and the check of an event against them before
 * it is written. The table is created from these numbers, so the check cannot drift from it.
 *
 * <p>Why check before writing: a value too long for its column fails the insert, and before the
 * check that failed the whole batch; the agent sent it again, forever, and every later event of
 * that agent waited behind it (and was lost when the agent restarted). An event that does not fit
 * is now dead-lettered on its own ({@link EventWrites}).
 */
final class EventColumns {
    static final int ID = 512;
    static final int TYPE = 64;
    static final int STREAM = 128;
    static final int LINE = 128;
    static final int DIRECTION = 16;
    /** The attribute map as JSON, in characters. Agents bound it at the source to half of this (EventAttributes). */
    static final int ATTRIBUTES = 8192;

    private EventColumns() {
    }

    /** Why {@code e} (with its attributes as {@code attributesJson}) cannot be stored, or null when it can. */
    static @Nullable String refusal(Event e, String attributesJson) {
        if (e.getId().isEmpty()) {
            return "no id (an event without one cannot be deduplicated)";
        }
        String r = tooLong("id", e.getId(), ID);
        r = r != null ? r : tooLong("type", e.getType(), TYPE);
        r = r != null ? r : tooLong("stream", e.getStreamId(), STREAM);
        r = r != null ? r : tooLong("attribute 'line'", e.getAttributesMap().get("line"), LINE);
        r = r != null ? r : tooLong("attribute 'direction'", e.getAttributesMap().get("direction"), DIRECTION);
        r = r != null ? r : tooLong("attribute 'zone'", Aggregate.zoneOf(e), LINE);
        return r != null ? r : tooLong("attributes (as JSON)", attributesJson, ATTRIBUTES);
    }

    private static @Nullable String tooLong(String what, @Nullable String value, int max) {
        return value != null && value.length() > max
                ? what + " is " + value.length() + " characters long; the column holds " + max : null;
    }
}
