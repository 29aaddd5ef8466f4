package io.argus.coordinator.http;

import static io.argus.coordinator.http.HttpResponses.send;
import static io.argus.coordinator.http.HttpResponses.sendError;
import static io.argus.coordinator.http.HttpResponses.write;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.argus.coordinator.config.ConfigException;
import io.argus.coordinator.config.ConfigService;
import io.argus.coordinator.leader.Leadership;
import io.argus.coordinator.store.DiskSpace;
import io.argus.coordinator.store.EventStore;
import io.argus.coordinator.store.StoreUnavailableException;
import io.argus.coordinator.streams.StreamException;
import io.argus.coordinator.streams.StreamService;
import io.argus.protocol.cluster.AgentDirectory;
import io.argus.protocol.cluster.AgentInfo;
import io.argus.protocol.cluster.Assignment;
import io.argus.protocol.cluster.ClusterView;
import io.argus.protocol.cluster.StreamConfig;
import io.argus.protocol.cluster.StreamDefinition;
import io.argus.protocol.cluster.ZkPaths;
import io.argus.protocol.json.ResultJson;
import io.argus.task.image.ImageLimits;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import org.apache.curator.framework.CuratorFramework;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The coordinator's HTTP API (JSON). Request handling never blocks the event loop: ZooKeeper and
 * database work runs on the blocking executor, image requests are asynchronous end to end.
 *
 * <pre>
 * POST   /v1/images?tasks=a,b          image/* body, or JSON {image_base64, tasks, params}
 * GET    /v1/agents
 * GET    /v1/streams                   POST /v1/streams (register a managed stream)
 * GET    /v1/streams/{id}              DELETE /v1/streams/{id}
 * GET    /v1/streams/{id}/config       PUT /v1/streams/{id}/config  (If-Match: version)
 * GET    /v1/streams/{id}/counts?from=&amp;to=&amp;bucket=1m
 * GET    /v1/streams/{id}/totals       GET /v1/streams/{id}/state (protobuf StateBundle)
 * GET    /v1/events?stream=&amp;type=&amp;from=&amp;to=&amp;limit=
 * GET    /v1/events/{id}/thumbnail
 * GET    /healthz                      GET /metrics (Prometheus)
 * </pre>
 * Times are epoch milliseconds in query strings and microseconds in stored events.
 *
 * <p>With {@code --token-file}, every route but {@code /healthz} and {@code /metrics} needs a bearer
 * token. Lines are {@code ROLE:SECRET} ({@link io.argus.protocol.auth.Grant}) or a bare secret (an
 * operator's): a viewer may read (GET), but not change anything, send images, or export a stream's
 * state (403 {@code PERMISSION_DENIED}); operator, agent and admin may do all of it. The event port
 * refuses viewer tokens the same way ({@link Authentication}).
 *
 * <p>Routes are declared in one table ({@link #routes()}, {@link Router}); managed streams are
 * changed through {@link StreamService}; domain exceptions become statuses in {@link HttpErrors}.
 * Answers are written by {@link HttpResponses}. Over 300 lines for now: the JSON rendering of
 * agents, events and counts and the blocking-executor plumbing are still here; they are the next
 * to move.
 */
@ChannelHandler.Sharable
public final class HttpApi extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger log = LoggerFactory.getLogger(HttpApi.class);

    public record Deps(CuratorFramework curator, ZkPaths paths, AgentDirectory agents, ClusterView view,
                       ConfigService config, EventStore store, Leadership leadership, AgentPool pool,
                       PrometheusMeterRegistry metrics, ExecutorService blocking, List<String> tokens,
                       RateLimits rateLimits, long imageTimeoutMs, ImageLimits limits,
                       long healthTimeoutMs, DiskSpace disk) {
    }

    private final Deps d;
    private final ImageRequests images;
    private final HealthProbe health;
    private final StreamService streams;
    private final Router router;
    /** Bearer tokens with their roles ({@code ROLE:SECRET} lines; a bare secret is an operator's). */
    private final Authentication auth;

    public HttpApi(Deps deps) {
        this.d = deps;
        this.auth = new Authentication(deps.tokens(), deps.metrics());
        this.streams = new StreamService(deps.curator(), deps.paths(), deps.view());
        this.router = routes();
        this.images = new ImageRequests(deps.pool(), deps.limits(), deps.imageTimeoutMs(), deps.metrics());
        deps.metrics().gauge("argus.gateway.rate_limit_clients", deps.rateLimits(), RateLimits::size);
        this.health = new HealthProbe(deps.curator(), deps.leadership(), deps.agents(), deps.store(), deps.blocking(),
                deps.healthTimeoutMs(), deps.disk());
        deps.metrics().gauge("argus.coordinator.disk_free_bytes", deps.disk(), DiskSpace::usableBytes);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        HalfClose.requestStarted(ctx.channel());
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        QueryStringDecoder q = new QueryStringDecoder(req.uri());
        String path;
        try {
            path = q.path();
            q.parameters(); // decoding is lazy: a bad %-escape must fail here, as a 400
        } catch (IllegalArgumentException e) {
            sendError(ctx, false, new ApiException(400, "BAD_REQUEST", "malformed request target: " + e.getMessage()));
            return;
        }
        HttpMethod m = req.method();
        // fixed label values: the method and path are the client's, and each new value is a time series
        d.metrics().counter("argus.http.requests", "method", MetricLabels.method(m), "route", MetricLabels.route(path))
                .increment();
        if (req.decoderResult().isFailure()) {
            // Netty's codec could not parse it: say so, and close (its framing cannot be trusted)
            sendError(ctx, false, new ApiException(400, "BAD_REQUEST",
                    "malformed HTTP request: " + req.decoderResult().cause().getMessage()));
            return;
        }
        try {
            String principal = auth.authorise(req, m, path);
            router.dispatch(ctx, req, keepAlive, q, m, path, principal);
        } catch (ApiException e) {
            sendError(ctx, keepAlive, e);
        } catch (RuntimeException e) {
            log.warn("request {} {} failed", MetricLabels.method(m), MetricLabels.route(path), e);
            sendError(ctx, keepAlive, JsonErrors.internal());
        }
    }

    /** The route table: every path the API answers, with its methods. */
    private Router routes() {
        return new Router()
                .param("stream", "[A-Za-z0-9._-]{1,128}", id -> {
                    if (!ZkPaths.isValidName(id)) { // "." and ".." match the pattern but name no stream
                        throw JsonErrors.badRequest("stream id must be 1-128 of [A-Za-z0-9._-], not '.' or '..'");
                    }
                })
                .param("event", "[^/]{1,512}", id -> { })
                .param("sub", "[a-z]+", sub -> { })
                .route(HttpMethod.POST, "/v1/images", this::images)
                // answers within its bound whatever ZooKeeper and the executor are doing
                .route(HttpMethod.GET, "/healthz", r -> health.check()
                        .thenAccept(h -> send(r.ctx(), r.keepAlive(), h.status(), h.body())))
                .route(HttpMethod.GET, "/metrics", this::metrics)
                .route(HttpMethod.GET, "/v1/agents", r -> blocking(r, this::agents))
                .route(HttpMethod.GET, "/v1/streams", r -> blocking(r, this::streams))
                .route(HttpMethod.POST, "/v1/streams", r -> {
                    byte[] body = ByteBufUtil.getBytes(r.req().content());
                    blocking(r, () -> registerStream(json(body)));
                })
                .notAllowed("/v1/streams", m -> m + " /v1/streams")
                .route(HttpMethod.GET, "/v1/events", r -> blocking(r, () -> events(r.query())))
                .route(HttpMethod.GET, "/v1/events/{event}/thumbnail", this::thumbnail)
                .route(HttpMethod.GET, "/v1/streams/{stream}", r -> blocking(r, () -> streamJson(streams.get(r.param("stream")))))
                .route(HttpMethod.DELETE, "/v1/streams/{stream}", r -> blocking(r, () -> deleteStream(r.param("stream"))))
                .route(HttpMethod.PUT, "/v1/streams/{stream}", r -> {
                    byte[] body = ByteBufUtil.getBytes(r.req().content());
                    blocking(r, () -> registerStream(((ObjectNode) json(body)).put("id", r.param("stream"))));
                })
                .notAllowed("/v1/streams/{stream}", m -> m + " on a stream")
                .route(HttpMethod.GET, "/v1/streams/{stream}/config", r -> blocking(r, () -> {
                    var c = d.view().config(r.param("stream"));
                    ObjectNode n = ResultJson.MAPPER.createObjectNode();
                    n.put("version", c.version());
                    n.set("config", ResultJson.MAPPER.valueToTree(c.value()));
                    return n;
                }))
                .route(HttpMethod.PUT, "/v1/streams/{stream}/config", r -> {
                    // parsed and validated on the blocking executor: a configuration is user input
                    // whose checking costs time (zones), and an event loop serves many connections
                    byte[] body = ByteBufUtil.getBytes(r.req().content());
                    String ifMatch = r.req().headers().get(HttpHeaderNames.IF_MATCH);
                    int expected = ifMatch == null ? -1 : parseInt(ifMatch.replace("\"", ""), "If-Match");
                    blocking(r, () -> putConfig(r.param("stream"), json(body), expected));
                })
                .notAllowed("/v1/streams/{stream}/config", m -> m + " on a configuration")
                // any method, as before the route table (a viewer still gets 403 for a non-GET)
                .route(null, "/v1/streams/{stream}/counts", r -> blocking(r, () -> counts(r.param("stream"), r.query())))
                .route(null, "/v1/streams/{stream}/totals", r -> blocking(r, () -> {
                    ObjectNode n = ResultJson.MAPPER.createObjectNode();
                    n.put("stream", r.param("stream"));
                    ObjectNode t = n.putObject("totals");
                    d.store().totals(r.param("stream")).forEach(t::put);
                    return n;
                }))
                .route(null, "/v1/streams/{stream}/state", this::state)
                .route(null, "/v1/streams/{stream}/{sub}", r -> {
                    throw new ApiException(404, "NOT_FOUND", "no such resource: /" + r.param("sub"));
                });
    }

    private void images(Router.Request r) {
        ChannelHandlerContext ctx = r.ctx();
        boolean keepAlive = r.keepAlive();
        if (!d.rateLimits().tryAcquire(clientKey(ctx, r.principal()))) {
            d.metrics().counter("argus.gateway.rate_limited").increment();
            throw new ApiException(429, "RATE_LIMITED", "more than " + d.rateLimits().perSecond()
                    + " image requests per second from this client");
        }
        byte[] body = ByteBufUtil.getBytes(r.req().content());
        List<String> tasks = new ArrayList<>();
        for (String v : r.query().parameters().getOrDefault("tasks", List.of())) {
            Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(tasks::add);
        }
        String contentType = r.req().headers().get(HttpHeaderNames.CONTENT_TYPE);
        // parsing the body and checking the task parameters (zones, patterns) cost time in
        // proportion to user input: on the blocking executor, never on an event loop
        d.blocking().execute(() -> {
            try {
                ImageRequests.Parsed parsed = ImageRequests.parse(contentType, body, tasks);
                images.handle(parsed).whenComplete((json, err) -> {
                    if (err != null) {
                        sendError(ctx, keepAlive, unwrap(err));
                    } else {
                        send(ctx, keepAlive, 200, json);
                    }
                });
            } catch (ApiException e) {
                sendError(ctx, keepAlive, e);
            } catch (RuntimeException e) {
                log.warn("image request failed", e);
                sendError(ctx, keepAlive, new ApiException(500, "INTERNAL", e.getClass().getSimpleName() + ": " + e.getMessage()));
            }
        });
    }

    private void metrics(Router.Request r) {
        byte[] text = d.metrics().scrape().getBytes(StandardCharsets.UTF_8);
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                Unpooled.wrappedBuffer(text));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
        write(r.ctx(), r.keepAlive(), res);
    }

    private void thumbnail(Router.Request r) {
        String id = r.param("event");
        offload(r.ctx(), r.keepAlive(), () -> {
            var jpeg = d.store().thumbnail(id);
            if (jpeg.isEmpty()) {
                sendError(r.ctx(), r.keepAlive(), new ApiException(404, "NOT_FOUND", "no thumbnail for " + id));
                return;
            }
            FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    Unpooled.wrappedBuffer(jpeg.get()));
            res.headers().set(HttpHeaderNames.CONTENT_TYPE, "image/jpeg");
            write(r.ctx(), r.keepAlive(), res);
        });
    }

    private void state(Router.Request r) {
        String id = r.param("stream");
        offload(r.ctx(), r.keepAlive(), () -> {
            var st = d.store().state(id);
            if (st.isEmpty()) {
                sendError(r.ctx(), r.keepAlive(), new ApiException(404, "NOT_FOUND", "no state recorded for " + id));
                return;
            }
            FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    Unpooled.wrappedBuffer(st.get()));
            res.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/x-protobuf; messageType=argus.v1.StateBundle");
            write(r.ctx(), r.keepAlive(), res);
        });
    }

    // ---------------------------------------------------------------- resources

    private ArrayNode agents() {
        ArrayNode a = ResultJson.MAPPER.createArrayNode();
        Map<String, Assignment> assignments = d.view().assignments();
        for (AgentInfo ag : d.agents().allAgents()) {
            ObjectNode n = a.addObject();
            n.put("id", ag.id());
            n.set("payload", ResultJson.MAPPER.valueToTree(ag.payload()));
            n.put("breaker", d.pool().breaker(ag.id()).getState().name());
            ArrayNode streams = n.putArray("streams");
            assignments.forEach((s, as) -> {
                if (as.agent().equals(ag.id())) {
                    streams.add(s);
                }
            });
        }
        return a;
    }

    private ArrayNode streams() {
        ArrayNode a = ResultJson.MAPPER.createArrayNode();
        streams.list().forEach(st -> a.add(streamJson(st)));
        return a;
    }

    private static ObjectNode streamJson(StreamService.StreamStatus st) {
        ObjectNode n = ResultJson.MAPPER.valueToTree(st.definition());
        n.put("agent", st.assignment() == null ? null : st.assignment().agent());
        n.put("assignment_reason", st.assignment() == null ? null : st.assignment().reason());
        n.put("config_version", st.configVersion());
        return n;
    }

    /** Registers (or replaces) a managed stream: {id, source, tasks: [{name, params}], loop}. */
    private ObjectNode registerStream(JsonNode body) {
        List<StreamService.TaskRequest> tasks = new ArrayList<>();
        for (JsonNode t : body.path("tasks")) {
            String name = t.isTextual() ? t.asText() : t.path("name").asText("");
            Map<String, String> params = new LinkedHashMap<>();
            t.path("params").properties().forEach(e -> params.put(e.getKey(), e.getValue().asText()));
            tasks.add(new StreamService.TaskRequest(name, params));
        }
        StreamDefinition s = streams.register(body.path("id").asText(""), body.path("source").asText(""), tasks,
                body.path("loop").asBoolean(false), body.path("width").asInt(0), body.path("height").asInt(0));
        return ResultJson.MAPPER.valueToTree(s);
    }

    private ObjectNode deleteStream(String id) {
        streams.delete(id);
        ObjectNode n = ResultJson.MAPPER.createObjectNode();
        n.put("deleted", id);
        return n;
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
            int v = d.config().put(id, cfg, expected);
            ObjectNode n = ResultJson.MAPPER.createObjectNode();
            n.put("stream", id).put("version", v);
            return n;
        } catch (ConfigException e) {
            throw HttpErrors.of(e);
        }
    }

    private ObjectNode counts(String id, QueryStringDecoder q) {
        long now = System.currentTimeMillis();
        long from = longParam(q, "from", now - 3_600_000L) * 1000;
        long to = longParam(q, "to", now + 1) * 1000;
        long bucket = bucket(q.parameters().getOrDefault("bucket", List.of("1m")).get(0));
        ObjectNode n = ResultJson.MAPPER.createObjectNode();
        n.put("stream", id).put("bucket_ms", bucket / 1000);
        ArrayNode a = n.putArray("buckets");
        d.store().counts(id, from, to, bucket).forEach((start, counts) -> {
            ObjectNode b = a.addObject();
            b.put("start_ms", start / 1000);
            ObjectNode c = b.putObject("counts");
            counts.forEach(c::put);
        });
        ObjectNode t = n.putObject("totals");
        d.store().totals(id).forEach(t::put);
        return n;
    }

    private ArrayNode events(QueryStringDecoder q) {
        String stream = first(q, "stream");
        String type = first(q, "type");
        Long from = q.parameters().containsKey("from") ? longParam(q, "from", 0) * 1000 : null;
        Long to = q.parameters().containsKey("to") ? longParam(q, "to", 0) * 1000 : null;
        long limit = longParam(q, "limit", 1000);
        if (limit < 1 || limit > MAX_EVENTS) {
            throw JsonErrors.badRequest("query parameter 'limit' must be 1-" + MAX_EVENTS);
        }
        ArrayNode a = ResultJson.MAPPER.createArrayNode();
        for (EventStore.StoredEvent e : d.store().events(stream, type, from, to, (int) limit)) {
            ObjectNode n = a.addObject();
            n.put("id", e.id()).put("type", e.type()).put("stream", e.stream()).put("frame", e.frame())
                    .put("time_ms", e.timeUs() / 1000);
            n.set("attributes", ResultJson.MAPPER.valueToTree(e.attributes()));
            if (e.hasThumbnail()) {
                n.put("thumbnail", "/v1/events/" + e.id() + "/thumbnail");
            }
        }
        return a;
    }

    // ---------------------------------------------------------------- plumbing

    /**
     * Whom a rate limit applies to: the authenticated principal, else the remote address. Never a
     * header: a client choosing its own key would take a fresh allowance per request.
     */
    private static String clientKey(ChannelHandlerContext ctx, @Nullable String principal) {
        if (principal != null) {
            return principal;
        }
        return "addr:" + ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress().getHostAddress();
    }

    /** Largest {@code limit} of /v1/events. */
    static final int MAX_EVENTS = 10_000;

    /**
     * Runs work on the blocking executor; its queue is bounded, and when it is full the client gets
     * 503 OVERLOADED at once instead of waiting behind an unbounded backlog.
     */
    private void offload(ChannelHandlerContext ctx, boolean keepAlive, Runnable work) {
        try {
            d.blocking().execute(work);
        } catch (RejectedExecutionException e) {
            d.metrics().counter("argus.gateway.overloaded").increment();
            sendError(ctx, keepAlive, JsonErrors.overloaded());
        }
    }

    interface Work {
        JsonNode run();
    }

    private void blocking(Router.Request r, Work w) {
        blocking(r.ctx(), r.keepAlive(), w);
    }

    private void blocking(ChannelHandlerContext ctx, boolean keepAlive, Work w) {
        offload(ctx, keepAlive, () -> {
            try {
                send(ctx, keepAlive, 200, w.run());
            } catch (ApiException e) {
                sendError(ctx, keepAlive, e);
            } catch (StreamException e) {
                sendError(ctx, keepAlive, HttpErrors.of(e));
            } catch (StoreUnavailableException e) {
                // a full disk or a store being reopened: the client may retry; the reason is in /healthz
                log.warn("request failed: {}", e.getMessage());
                sendError(ctx, keepAlive, HttpErrors.of(e));
            } catch (RuntimeException e) {
                // the detail (H2, ZooKeeper) goes to the log; the client learns only that it failed
                log.warn("request failed", e);
                sendError(ctx, keepAlive, JsonErrors.internal());
            }
        });
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

    private static @Nullable String first(QueryStringDecoder q, String name) {
        List<String> v = q.parameters().get(name);
        return v == null || v.isEmpty() || v.get(0).isBlank() ? null : v.get(0);
    }

    private static long longParam(QueryStringDecoder q, String name, long def) {
        String v = first(q, name);
        if (v == null) {
            return def;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new ApiException(400, "BAD_REQUEST", "query parameter '" + name + "' = '" + v + "' is not a number");
        }
    }

    private static int parseInt(String v, String what) {
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new ApiException(400, "BAD_REQUEST", what + " must be a configuration version number");
        }
    }

    /** "30s", "1m", "15m", "1h", "1d" to microseconds. */
    static long bucket(String v) {
        Matcher m = Pattern.compile("^(\\d{1,4})([smhd])$").matcher(v);
        if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
            throw new ApiException(400, "BAD_REQUEST", "bucket '" + v + "' must look like 30s, 1m, 1h or 1d");
        }
        long n = Long.parseLong(m.group(1));
        long unit = switch (m.group(2)) {
            case "s" -> 1_000_000L;
            case "m" -> 60_000_000L;
            case "h" -> 3_600_000_000L;
            default -> 86_400_000_000L;
        };
        return n * unit;
    }

    private static ApiException unwrap(Throwable err) {
        Throwable c = err;
        while ((c instanceof CompletionException || c instanceof ExecutionException)
                && c.getCause() != null) {
            c = c.getCause();
        }
        if (c instanceof ApiException a) {
            return a;
        }
        log.warn("request failed", c);
        return JsonErrors.internal();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("HTTP connection failed: {}", cause.toString());
        ctx.close();
    }

    CompletableFuture<Void> none() {
        return CompletableFuture.completedFuture(null);
    }
}
