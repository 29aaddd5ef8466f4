package io.argus.coordinator.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.argus.coordinator.config.ConfigException;
import io.argus.coordinator.config.ConfigService;
import io.argus.coordinator.streams.StreamService;
import io.argus.cluster.ClusterView;
import io.argus.cluster.StreamConfig;
import io.argus.cluster.StreamDefinition;
import io.argus.protocol.json.ResultJson;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.HttpHeaderNames;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The routes of {@code /v1/streams}: managed streams through {@link StreamService}, their task
 * configurations through {@link ConfigService}. Bodies are read on the event loop and parsed on the
 * blocking executor ({@link Offload}): a body is user input whose checking costs time.
 */
final class StreamHandlers {
    private final StreamService streams;
    private final ConfigService config;
    private final ClusterView view;
    private final Offload offload;

    StreamHandlers(StreamService streams, ConfigService config, ClusterView view, Offload offload) {
        this.streams = streams;
        this.config = config;
        this.view = view;
        this.offload = offload;
    }

    /** GET /v1/streams. */
    void list(Router.Request r) {
        offload.json(r, () -> ApiJson.streams(streams.list()));
    }

    /** GET /v1/streams/{stream}. */
    void get(Router.Request r) {
        offload.json(r, () -> ApiJson.stream(streams.get(r.param("stream"))));
    }

    /** POST /v1/streams: registers (or replaces) the stream the body names. */
    void register(Router.Request r) {
        byte[] body = ByteBufUtil.getBytes(r.req().content());
        offload.json(r, () -> registerStream(json(body)));
    }

    /** PUT /v1/streams/{stream}: registers (or replaces) the stream the path names. */
    void replace(Router.Request r) {
        byte[] body = ByteBufUtil.getBytes(r.req().content());
        offload.json(r, () -> registerStream(((ObjectNode) json(body)).put("id", r.param("stream"))));
    }

    /** DELETE /v1/streams/{stream}. */
    void delete(Router.Request r) {
        offload.json(r, () -> {
            String id = r.param("stream");
            streams.delete(id);
            return ApiJson.deleted(id);
        });
    }

    /** GET /v1/streams/{stream}/config. */
    void config(Router.Request r) {
        offload.json(r, () -> ApiJson.config(view.config(r.param("stream"))));
    }

    /** PUT /v1/streams/{stream}/config, with {@code If-Match: version} to replace only that version. */
    void putConfig(Router.Request r) {
        // parsed and validated on the blocking executor: a configuration is user input
        // whose checking costs time (zones), and an event loop serves many connections
        byte[] body = ByteBufUtil.getBytes(r.req().content());
        String ifMatch = r.req().headers().get(HttpHeaderNames.IF_MATCH);
        int expected = ifMatch == null ? -1 : parseInt(ifMatch.replace("\"", ""), "If-Match");
        offload.json(r, () -> putConfig(r.param("stream"), json(body), expected));
    }

    /** Registers (or replaces) a managed stream: {id, source, tasks: [{name, params}], loop, recorded_at}. */
    private ObjectNode registerStream(JsonNode body) {
        List<StreamService.TaskRequest> tasks = new ArrayList<>();
        for (JsonNode t : body.path("tasks")) {
            String name = t.isTextual() ? t.asText() : t.path("name").asText("");
            Map<String, String> params = new java.util.LinkedHashMap<>();
            t.path("params").properties().forEach(e -> params.put(e.getKey(), e.getValue().asText()));
            tasks.add(new StreamService.TaskRequest(name, params));
        }
        if (body.hasNonNull("replay")) {
            return replay(body, tasks);
        }
        StreamDefinition s = streams.register(body.path("id").asText(""), body.path("source").asText(""), tasks,
                body.path("loop").asBoolean(false), body.path("width").asInt(0), body.path("height").asInt(0),
                recordedAt(body.path("recorded_at")));
        return ApiJson.definition(s);
    }

    /**
     * A recording to replay once in parallel: {@code replay: {segments: [{warm_up_start, start, end}, ...]}};
     * answers {@code {replay: id, segments: [definition, ...]}}.
     */
    private ObjectNode replay(JsonNode body, List<StreamService.TaskRequest> tasks) {
        if (body.path("loop").asBoolean(false)) {
            throw new ApiException(400, "BAD_REQUEST", "a replay runs its recording once; it cannot loop");
        }
        JsonNode list = body.path("replay").path("segments");
        if (!list.isArray()) {
            throw new ApiException(400, "BAD_REQUEST", "replay must be {\"segments\": [{\"warm_up_start\": F, \"start\": F, \"end\": F}, ...]}");
        }
        if (list.size() > StreamService.MAX_REPLAY_SEGMENTS) {
            throw new ApiException(400, "BAD_REQUEST", "a replay has at most " + StreamService.MAX_REPLAY_SEGMENTS + " segments");
        }
        List<StreamService.SegmentRequest> segments = new ArrayList<>();
        for (JsonNode g : list) {
            if (!g.path("start").canConvertToLong() || !g.path("end").canConvertToLong()
                    || !g.path("warm_up_start").canConvertToLong()) {
                throw new ApiException(400, "BAD_REQUEST", "each replay segment needs warm_up_start, start and end (frame numbers)");
            }
            segments.add(new StreamService.SegmentRequest(g.path("warm_up_start").asLong(), g.path("start").asLong(),
                    g.path("end").asLong()));
        }
        String id = body.path("id").asText("");
        List<StreamDefinition> defs = streams.registerReplay(id, body.path("source").asText(""), tasks,
                recordedAt(body.path("recorded_at")), segments);
        ObjectNode out = ResultJson.MAPPER.createObjectNode().put("replay", id);
        defs.forEach(d -> out.withArray("segments").add(ApiJson.definition(d)));
        return out;
    }

    /** {@code recorded_at}: an ISO-8601 time with a zone or offset ({@code 2026-12-06T22:00:00Z}); absent: 0. */
    static long recordedAt(JsonNode v) {
        if (v.isMissingNode() || v.isNull()) {
            return 0;
        }
        try {
            Instant at = OffsetDateTime.parse(v.asText().trim()).toInstant();
            return Math.addExact(Math.multiplyExact(at.getEpochSecond(), 1_000_000L), at.getNano() / 1_000);
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new ApiException(400, "BAD_REQUEST", "recorded_at must be an ISO-8601 time with a zone, such as "
                    + "2026-12-06T22:00:00Z: " + v.asText());
        }
    }

    private ObjectNode putConfig(String id, JsonNode body, int expected) {
        StreamConfig cfg;
        try {
            JsonNode tasks = body.has("tasks") ? body : ResultJson.MAPPER.createObjectNode().set("tasks", body);
            cfg = ResultJson.MAPPER.treeToValue(tasks, StreamConfig.class);
        } catch (Exception e) {
            throw new ApiException(400, "BAD_REQUEST", "configuration must be {\"tasks\": {\"task\": {\"param\": \"value\"}}}: "
                    + e.getMessage());
        }
        cfg = new StreamConfig(cfg.tasks(), System.currentTimeMillis(), "http");
        try {
            return ApiJson.configVersion(id, config.put(id, cfg, expected));
        } catch (ConfigException e) {
            throw HttpErrors.of(e);
        }
    }

    private static JsonNode json(byte[] body) {
        try {
            JsonNode n = ResultJson.MAPPER.readTree(body);
            if (n == null || !n.isObject()) {
                throw new ApiException(400, "BAD_REQUEST", "body must be a JSON object");
            }
            return n;
        } catch (ApiException e) {
            throw e;
        } catch (Exception e) {
            throw new ApiException(400, "BAD_REQUEST", "body is not valid JSON: " + e.getMessage());
        }
    }

    private static int parseInt(String v, String what) {
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new ApiException(400, "BAD_REQUEST", what + " must be a configuration version number");
        }
    }
}
