package io.argus.coordinator.http;

import static io.argus.coordinator.http.HttpResponses.sendError;

import io.argus.coordinator.config.ConfigService;
import io.argus.coordinator.streams.ManagedStateGauges;
import io.argus.coordinator.leader.Leadership;
import io.argus.coordinator.store.DiskSpace;
import io.argus.coordinator.store.EventStore;
import io.argus.cluster.AgentDirectory;
import io.argus.cluster.ClusterView;
import io.argus.cluster.ZkPaths;
import io.argus.task.image.ImageLimits;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import org.apache.curator.framework.CuratorFramework;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.ExecutorService;

/**
 * The coordinator's HTTP API (JSON). Request handling never blocks the event loop: ZooKeeper and
 * database work runs on the blocking executor, image requests are asynchronous end to end.
 *
 * <pre>
 * POST   /v1/images?tasks=a,b          image/* body, or JSON {image_base64 | images: [...], tasks, params}
 * POST   /image/{a,b}                  the original design's route: JSON {image_data, image_type} or the
 *                                      image; answers the merged Data ({@link ImageAnswers#merged})
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
 * <p>This class is the Netty adapter only: it decodes the request target, counts the request,
 * checks the token ({@link Authentication}) and hands the request to the route table
 * ({@link ApiRoutes}, {@link Router}), whose handlers are per resource ({@link ImageHandler},
 * {@link StreamHandlers} over {@link io.argus.coordinator.streams.StreamService},
 * {@link EventHandlers}, {@link HealthProbe}). Blocking work runs through {@link Offload}; JSON
 * bodies are rendered by {@link ApiJson}; domain exceptions become statuses in {@link HttpErrors};
 * answers are written by {@link HttpResponses}.
 */
@ChannelHandler.Sharable
public final class HttpApi extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger log = LoggerFactory.getLogger(HttpApi.class);

    public record Deps(CuratorFramework curator, ZkPaths paths, AgentDirectory agents, ClusterView view,
                       ConfigService config, EventStore store, Leadership leadership, AgentPool pool,
                       PrometheusMeterRegistry metrics, ExecutorService blocking, List<String> tokens,
                       RateLimits rateLimits, long imageTimeoutMs, ImageLimits limits,
                       long healthTimeoutMs, DiskSpace disk, ImageRequestConfig images) {
    }

    private final Deps d;
    private final Router router;
    /** Bearer tokens with their roles ({@code ROLE:SECRET} lines; a bare secret is an operator's). */
    private final Authentication auth;

    public HttpApi(Deps deps) {
        this.d = deps;
        this.auth = new Authentication(deps.tokens(), deps.metrics());
        this.router = ApiRoutes.table(deps);
        deps.metrics().gauge("argus.gateway.rate_limit_clients", deps.rateLimits(), RateLimits::size);
        deps.metrics().gauge("argus.coordinator.disk_free_bytes", deps.disk(), io.argus.coordinator.store.DiskSpace::usableBytes);
        ManagedStateGauges.register(deps.metrics(), deps.view());
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

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("HTTP connection failed: {}", cause.toString());
        ctx.close();
    }
}
