package io.argus.protocol.json;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.argus.protocol.v1.Box;
import io.argus.protocol.v1.Event;
import io.argus.protocol.v1.FrameResult;
import io.argus.protocol.v1.ImageData;
import io.argus.protocol.v1.Overlay;
import io.argus.protocol.v1.Point;
import io.argus.protocol.v1.Polyline;
import io.argus.protocol.v1.StageTiming;
import io.argus.protocol.v1.TaskResult;
import io.argus.protocol.v1.TextLabel;

import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JSON shape of results, shared by {@code analyze} output and the HTTP gateway. Task data maps
 * are written with sorted keys so that output is stable and diffable.
 */
public final class ResultJson {
    public static final ObjectMapper MAPPER = new ObjectMapper();

    private ResultJson() {
    }

    /** {"name": {"status": "OK", "strings": {...}, "numbers": {...}, "overlays": [...], ...}, ...} */
    public static ObjectNode tasks(FrameResult r, boolean includeImages) {
        ObjectNode tasks = MAPPER.createObjectNode();
        for (TaskResult t : r.getTasksList()) {
            tasks.set(t.getTask(), task(t, includeImages));
        }
        return tasks;
    }

    public static ObjectNode task(TaskResult t, boolean includeImages) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("status", t.getStatus().name());
        if (!t.getMessage().isEmpty()) {
            n.put("message", t.getMessage());
        }
        if (t.getStringsCount() > 0) {
            ObjectNode s = n.putObject("strings");
            new TreeMap<>(t.getStringsMap()).forEach(s::put);
        }
        if (t.getNumbersCount() > 0) {
            ObjectNode s = n.putObject("numbers");
            new TreeMap<>(t.getNumbersMap()).forEach(s::put);
        }
        if (t.getOverlaysCount() > 0) {
            ArrayNode a = n.putArray("overlays");
            t.getOverlaysList().forEach(o -> a.add(overlay(o)));
        }
        if (t.getEventsCount() > 0) {
            ArrayNode a = n.putArray("events");
            t.getEventsList().forEach(e -> a.add(event(e)));
        }
        if (t.getImagesCount() > 0) {
            ArrayNode a = n.putArray("images");
            for (ImageData img : t.getImagesList()) {
                ObjectNode i = a.addObject();
                i.put("name", img.getName()).put("encoding", img.getEncoding().name())
                        .put("width", img.getWidth()).put("height", img.getHeight()).put("bytes", img.getData().size());
                if (includeImages) {
                    i.put("data_base64", Base64.getEncoder().encodeToString(img.getData().toByteArray()));
                }
            }
        }
        return n;
    }

    public static ObjectNode overlay(Overlay o) {
        ObjectNode n = MAPPER.createObjectNode();
        switch (o.getShapeCase()) {
            case BOX -> {
                Box b = o.getBox();
                n.put("type", "box").put("x", b.getX()).put("y", b.getY()).put("w", b.getWidth()).put("h", b.getHeight());
                if (!b.getLabel().isEmpty()) {
                    n.put("label", b.getLabel());
                }
                if (b.getScore() != 0) {
                    n.put("score", b.getScore());
                }
                if (b.getTrackId() != 0) {
                    n.put("track", b.getTrackId());
                }
            }
            case POLYLINE -> {
                Polyline p = o.getPolyline();
                n.put("type", "polyline").put("closed", p.getClosed());
                if (!p.getLabel().isEmpty()) {
                    n.put("label", p.getLabel());
                }
                ArrayNode pts = n.putArray("points");
                for (Point pt : p.getPointsList()) {
                    pts.addArray().add(pt.getX()).add(pt.getY());
                }
            }
            case TEXT -> {
                TextLabel l = o.getText();
                n.put("type", "text").put("x", l.getX()).put("y", l.getY()).put("text", l.getText())
                        .put("confidence", l.getConfidence());
            }
            default -> n.put("type", "unknown");
        }
        return n;
    }

    public static ObjectNode event(Event e) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("id", e.getId()).put("type", e.getType()).put("stream", e.getStreamId())
                .put("frame", e.getSourceIndex()).put("time_us", e.getTimeUs());
        ObjectNode a = n.putObject("attributes");
        new TreeMap<>(e.getAttributesMap()).forEach(a::put);
        if (!e.getThumbnailJpeg().isEmpty()) {
            n.put("thumbnail_bytes", e.getThumbnailJpeg().size());
        }
        return n;
    }

    public static ObjectNode timings(FrameResult r) {
        ObjectNode n = MAPPER.createObjectNode();
        for (StageTiming t : r.getTimingsList()) {
            n.put(t.getStage(), t.getMicros() / 1000.0);
        }
        return n;
    }

    public static Map<String, Object> toMap(ObjectNode n) {
        return MAPPER.convertValue(n, new TypeReference<Map<String, Object>>() { });
    }
}
