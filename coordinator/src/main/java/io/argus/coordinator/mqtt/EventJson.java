package io.argus.coordinator.mqtt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.argus.protocol.v1.Event;

import java.util.TreeMap;

/**
 * The JSON of an event on the events topic: {@code type} (crossing, zone_enter, zone_exit, a text
 * reading's or watch hit's type, stream_assigned), {@code id}, {@code stream}, {@code frame},
 * {@code time_us}, {@code has_thumbnail} and the event's {@code attributes} as the agent wrote them.
 * The id is the store's idempotency key, so a consumer can drop what it has already seen.
 */
public final class EventJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private EventJson() {
    }

    public static byte[] of(Event e) {
        ObjectNode n = JSON.createObjectNode();
        n.put("type", e.getType());
        n.put("id", e.getId());
        n.put("stream", e.getStreamId());
        n.put("frame", e.getSourceIndex());
        n.put("time_us", e.getTimeUs());
        n.put("has_thumbnail", !e.getThumbnailJpeg().isEmpty());
        n.set("attributes", JSON.valueToTree(new TreeMap<>(e.getAttributesMap())));
        return bytes(n);
    }

    /** A change of the agent that runs a stream; {@code agent} is empty when none does. */
    public static byte[] assignment(String stream, String agent, long timeMs) {
        ObjectNode n = JSON.createObjectNode();
        n.put("type", "stream_assigned");
        n.put("stream", stream);
        n.put("agent", agent);
        n.put("time_us", timeMs * 1000);
        return bytes(n);
    }

    /** An agent came ({@code agent_up}: registered, not draining) or went ({@code agent_down}). */
    public static byte[] agent(String agent, boolean up, long timeMs) {
        ObjectNode n = JSON.createObjectNode();
        n.put("type", up ? "agent_up" : "agent_down");
        n.put("agent", agent);
        n.put("time_us", timeMs * 1000);
        return bytes(n);
    }

    static byte[] bytes(ObjectNode n) {
        try {
            return JSON.writeValueAsBytes(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    static ObjectMapper mapper() {
        return JSON;
    }
}
