package io.argus.coordinator.http;

import static io.argus.coordinator.http.HttpResponses.send;
import static io.argus.coordinator.http.HttpResponses.write;

import io.argus.coordinator.streams.StreamService;
import io.argus.cluster.ZkPaths;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

import java.nio.charset.StandardCharsets;

/**
 * The HTTP API's route table: every path it answers, with its methods and the handler of each. The
 * handlers are per resource: {@link ImageHandler}, {@link StreamHandlers}, {@link EventHandlers},
 * {@link HealthProbe}; the agents list and the Prometheus scrape are one line each.
 */
final class ApiRoutes {
    private ApiRoutes() {
    }

    /** Builds the handlers over the API's dependencies and declares their routes. */
    static Router table(HttpApi.Deps d) {
        Offload offload = new Offload(d.blocking(), d.metrics());
        ImageRequests imageRequests = new ImageRequests(d.pool(), d.limits(), d.images(), d.imageTimeoutMs(), d.metrics());
        ImageHandler images = ImageHandler.v1(imageRequests, d.rateLimits(), offload, d.metrics());
        // the original design's route: same requests, limits and agents; tasks in the path, merged Data back
        ImageHandler compat = ImageHandler.compat(imageRequests, d.rateLimits(), offload, d.metrics());
        HealthProbe health = new HealthProbe(d.curator(), d.leadership(), d.agents(), d.store(), d.blocking(),
                d.healthTimeoutMs(), d.disk());
        StreamHandlers streams = new StreamHandlers(new StreamService(d.curator(), d.paths(), d.view(),
                stream -> !d.store().events(stream, null, null, null, 1).isEmpty()), d.config(),
                d.view(), offload);
        EventHandlers events = new EventHandlers(d.store(), offload);
        return new Router()
                .param("stream", "[A-Za-z0-9._-]{1,128}", id -> {
                    if (!ZkPaths.isValidName(id)) { // "." and ".." match the pattern but name no stream
                        throw JsonErrors.badRequest("stream id must be 1-128 of [A-Za-z0-9._-], not '.' or '..'");
                    }
                })
                .param("event", "[^/]{1,512}", id -> { })
                .param("sub", "[a-z]+", sub -> { })
                .param("type", "[A-Za-z0-9._,-]{1,512}", type -> { })
                .route(HttpMethod.POST, "/v1/images", images)
                .route(HttpMethod.POST, "/image/{type}", compat)
                .notAllowed("/image/{type}", m -> m + " /image/{type}: POST an image")
                // answers within its bound whatever ZooKeeper and the executor are doing
                .route(HttpMethod.GET, "/healthz", r -> health.check()
                        .thenAccept(h -> send(r.ctx(), r.keepAlive(), h.status(), h.body())))
                .route(HttpMethod.GET, "/metrics", r -> {
                    byte[] text = d.metrics().scrape().getBytes(StandardCharsets.UTF_8);
                    FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                            Unpooled.wrappedBuffer(text));
                    res.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
                    write(r.ctx(), r.keepAlive(), res);
                })
                .route(HttpMethod.GET, "/v1/agents", r -> offload.json(r,
                        () -> ApiJson.agents(d.view().assignments(), d.agents().allAgents(), d.pool())))
                .route(HttpMethod.GET, "/v1/streams", streams::list)
                .route(HttpMethod.POST, "/v1/streams", streams::register)
                .notAllowed("/v1/streams", m -> m + " /v1/streams")
                .route(HttpMethod.GET, "/v1/events", events::events)
                .route(HttpMethod.GET, "/v1/events/{event}/thumbnail", events::thumbnail)
                .route(HttpMethod.GET, "/v1/streams/{stream}", streams::get)
                .route(HttpMethod.DELETE, "/v1/streams/{stream}", streams::delete)
                .route(HttpMethod.PUT, "/v1/streams/{stream}", streams::replace)
                .notAllowed("/v1/streams/{stream}", m -> m + " on a stream")
                .route(HttpMethod.GET, "/v1/streams/{stream}/config", streams::config)
                .route(HttpMethod.PUT, "/v1/streams/{stream}/config", streams::putConfig)
                .notAllowed("/v1/streams/{stream}/config", m -> m + " on a configuration")
                // any method, as before the route table (a viewer still gets 403 for a non-GET)
                .route(null, "/v1/streams/{stream}/counts", events::counts)
                .route(null, "/v1/streams/{stream}/totals", events::totals)
                .route(null, "/v1/streams/{stream}/state", events::state)
                .route(null, "/v1/streams/{stream}/{sub}", r -> {
                    throw new ApiException(404, "NOT_FOUND", "no such resource: /" + r.param("sub"));
                });
    }
}
