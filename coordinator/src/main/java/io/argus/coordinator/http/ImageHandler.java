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
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;

/**
 * The image routes: {@code POST /v1/images?tasks=a,b} ({@link #v1}) and the original design's
 * {@code POST /image/{type}} ({@link #compat}, type = a task or several separated by commas). Both
 * share everything but where the tasks are named and how the answer is written: the client's rate
 * limit on the event loop, then the body parsed and the task parameters checked on the blocking
 * executor ({@link Offload}: a full queue is 503 OVERLOADED), then {@link ImageRequests} runs the
 * images on one agent and the answer ({@link ImageAnswers}) is written when it comes back.
 */
final class ImageHandler implements Router.Handler {
    private static final Logger log = LoggerFactory.getLogger(ImageHandler.class);

    private final ImageRequests images;
    private final RateLimits rateLimits;
    private final Offload offload;
    private final MeterRegistry metrics;
    private final boolean compat;
    private final Function<ImageRequests.Answer, ImageAnswers.Reply> render;

    private ImageHandler(ImageRequests images, RateLimits rateLimits, Offload offload, MeterRegistry metrics,
                         boolean compat) {
        this.images = images;
        this.rateLimits = rateLimits;
        this.offload = offload;
        this.metrics = metrics;
        this.compat = compat;
        this.render = compat ? ImageAnswers::compat : ImageAnswers::v1;
    }

    /** {@code /v1/images}: tasks from {@code ?tasks=} or the JSON body; the content type must say what the body is. */
    static ImageHandler v1(ImageRequests images, RateLimits rateLimits, Offload offload, MeterRegistry metrics) {
        return new ImageHandler(images, rateLimits, offload, metrics, false);
    }

    /**
     * {@code /image/{type}}: tasks from the path; the body is recognised by its first bytes whatever
     * its content type ({@code curl -d} labels JSON a form).
     */
    static ImageHandler compat(ImageRequests images, RateLimits rateLimits, Offload offload, MeterRegistry metrics) {
        return new ImageHandler(images, rateLimits, offload, metrics, true);
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
        List<String> named = compat ? List.of(r.param("type")) : r.query().parameters().getOrDefault("tasks", List.of());
        for (String v : named) {
            Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(tasks::add);
        }
        String contentType = r.req().headers().get(HttpHeaderNames.CONTENT_TYPE);
        // parsing the body and checking the task parameters (zones, patterns) cost time in
        // proportion to user input: on the blocking executor, never on an event loop
        offload.run(ctx, keepAlive, () -> {
            try {
                ImageBody.Job job = ImageBody.parse(contentType, body, tasks, compat, images.maxImages());
                images.handle(job).whenComplete((answer, err) -> {
                    if (err != null) {
                        sendError(ctx, keepAlive, unwrap(err));
                        return;
                    }
                    try {
                        ImageAnswers.Reply reply = render.apply(answer);
                        send(ctx, keepAlive, reply.status(), reply.body());
                    } catch (RuntimeException e) {
                        log.warn("image answer failed", e);
                        sendError(ctx, keepAlive, JsonErrors.internal());
                    }
                });
            } catch (ApiException e) {
                sendError(ctx, keepAlive, e);
            } catch (RuntimeException e) {
                log.warn("image request failed", e);
                sendError(ctx, keepAlive, JsonErrors.internal());
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
        while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        if (c instanceof ApiException a) {
            return a;
        }
        log.warn("request failed", c);
        return JsonErrors.internal();
    }
}
