package io.argus.coordinator.http;

import static io.argus.coordinator.http.HttpResponses.send;
import static io.argus.coordinator.http.HttpResponses.sendError;

import com.fasterxml.jackson.databind.JsonNode;
import io.argus.coordinator.streams.StreamException;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.ChannelHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ExecutorService;

/**
 * Runs a request's ZooKeeper and database work on the blocking executor, never on an event loop (which
 * serves many connections), and answers from there: the JSON the work returns as 200, a domain
 * exception as the status {@link HttpErrors} gives it.
 */
final class Offload {
    private static final Logger log = LoggerFactory.getLogger(Offload.class);

    /** Blocking work that answers with JSON. */
    interface Work {
        JsonNode run();
    }

    private final ExecutorService blocking;
    private final MeterRegistry metrics;

    Offload(ExecutorService blocking, MeterRegistry metrics) {
        this.blocking = blocking;
        this.metrics = metrics;
    }

    /**
     * Runs work on the blocking executor; its queue is bounded, and when it is full the client gets
     * 503 OVERLOADED at once instead of waiting behind an unbounded backlog.
     */
    void run(ChannelHandlerContext ctx, boolean keepAlive, Runnable work) {
        try {
            blocking.execute(work);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            metrics.counter("argus.gateway.overloaded").increment();
            sendError(ctx, keepAlive, JsonErrors.overloaded());
        }
    }

    /** Runs work on the blocking executor and answers 200 with its JSON, or with the error it raised. */
    void json(Router.Request r, Work w) {
        json(r.ctx(), r.keepAlive(), w);
    }

    private void json(ChannelHandlerContext ctx, boolean keepAlive, Work w) {
        run(ctx, keepAlive, () -> {
            try {
                send(ctx, keepAlive, 200, w.run());
            } catch (ApiException e) {
                sendError(ctx, keepAlive, e);
            } catch (StreamException e) {
                sendError(ctx, keepAlive, HttpErrors.of(e));
            } catch (io.argus.coordinator.store.StoreUnavailableException e) {
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
}
