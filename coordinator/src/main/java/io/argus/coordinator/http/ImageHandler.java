package io.argus.coordinator.http;

import org.jspecify.annotations.Nullable;
import static io.argus.coordinator.http.HttpResponses.send;
import static io.argus.coordinator.http.HttpResponses.sendError;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpHeaderNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;

/**
 * {@code POST /v1/images?tasks=a,b}: the client's rate limit on the event loop, then the body parsed
 * and the task parameters checked on the blocking executor, then {@link ImageRequests} runs the
 * image on an agent and the answer is written when it comes back.
 */
final class ImageHandler implements Router.Handler {
    private static final Logger log = LoggerFactory.getLogger(ImageHandler.class);

    private final ImageRequests images;
    private final RateLimits rateLimits;
    private final ExecutorService blocking;
    private final MeterRegistry metrics;

    ImageHandler(ImageRequests images, RateLimits rateLimits, ExecutorService blocking, MeterRegistry metrics) {
        this.images = images;
        this.rateLimits = rateLimits;
        this.blocking = blocking;
        this.metrics = metrics;
    }

    @Override
    public void handle(Router.Request r) {
        ChannelHandlerContext ctx = r.ctx();
        boolean keepAlive = r.keepAlive();
        if (!rateLimits.tryAcquire(clientKey(ctx, r.principal()))) {
            metrics.counter("argus.gateway.rate_limited").increment();
            throw new ApiException(429, "RATE_LIMITED", "more than " + rateLimits.perSecond()
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
        blocking.execute(() -> {
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

    private static ApiException unwrap(Throwable err) {
        Throwable c = err;
        while ((c instanceof java.util.concurrent.CompletionException || c instanceof java.util.concurrent.ExecutionException)
                && c.getCause() != null) {
            c = c.getCause();
        }
        if (c instanceof ApiException a) {
            return a;
        }
        log.warn("request failed", c);
        return JsonErrors.internal();
    }
}
