package io.argus.coordinator.http;

import io.argus.cluster.AgentInfo;
import io.argus.protocol.Envelopes;
import io.argus.protocol.client.AgentConnection;
import io.argus.protocol.client.AgentErrorException;
import io.argus.protocol.v1.Code;
import io.argus.protocol.v1.FrameRequest;
import io.argus.protocol.v1.FrameResult;
import io.argus.protocol.v1.StreamControl;
import io.argus.task.image.ImageLimits;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs an image request on one agent: each image is one frame with all the request's tasks, in
 * order, in the agent's pipeline ({@link FramePlan}), so later tasks see the results of earlier
 * ones. The agent is chosen by power of two choices among those that run every task; an
 * overloaded or failing agent is retried once on another.
 *
 * <p>Streams: a single image with stateless tasks goes on one of 32 stream ids of this
 * coordinator's, in turn (they spread requests over the agent's lanes and hold no state). Anything
 * else, a stateful task or several images, gets a stream of the request's own: opened fresh, its
 * frames sent one after the other, and reset after the last answer (or failure), which drops its
 * state and the agent's claim on the id. No image of one request is ever visible to another.
 *
 * <p>Errors: 400 for a bad image or an unknown task, 413 for an image over the pixel limit, 503
 * when no agent runs all the tasks or all shed load, 504 when the agent does not finish within the
 * timeout (2 s by default) for the whole request.
 */
final class ImageRequests {
    /** The frames' results in image order; the last is the answer of a compositing request. */
    record Answer(List<FrameResult> frames, long startNanos) {
        FrameResult last() {
            return frames.get(frames.size() - 1);
        }

        double latencyMs() {
            return Math.round((System.nanoTime() - startNanos) / 1e4) / 100.0;
        }
    }

    private final AgentPool agents;
    private final ImageLimits limits;
    private final ImageRequestConfig config;
    private final long timeoutMs;
    private final AtomicLong counter = new AtomicLong();
    private final String streamPrefix;
    private final Timer latency;
    private final MeterRegistry metrics;

    ImageRequests(AgentPool agents, ImageLimits limits, ImageRequestConfig config, long timeoutMs, MeterRegistry metrics) {
        String id = agents.clientId();
        // within the 128 characters of a stream id, with room for the suffix
        this.streamPrefix = (id.length() <= 100 ? id : id.substring(0, 80) + "-" + Integer.toHexString(id.hashCode())) + "-";
        this.agents = agents;
        this.limits = limits;
        this.config = config;
        this.timeoutMs = timeoutMs;
        this.metrics = metrics;
        this.latency = Timer.builder("argus.gateway.images").publishPercentiles(0.5, 0.99).register(metrics);
    }

    /** Images one request may carry. */
    int maxImages() {
        return config.maxImages();
    }

    /** Checks the request (parameters, image headers) and runs it; throws {@link ApiException} for what is wrong with it. */
    CompletableFuture<Answer> handle(ImageBody.Job job) {
        long t0 = System.nanoTime();
        FramePlan.Frames frames = FramePlan.of(job, limits);
        List<AgentInfo> candidates = agents.candidates(frames.taskNames());
        if (candidates.isEmpty()) {
            throw new ApiException(503, "UNAVAILABLE", frames.taskNames().size() == 1
                    ? "no live agent runs task '" + frames.taskNames().get(0) + "'"
                    : "no live agent runs all of the tasks " + String.join(",", frames.taskNames()));
        }
        long deadline = t0 + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        return send(frames, candidates, new ArrayList<>(), 2, deadline)
                .orTimeout(timeoutMs, TimeUnit.MILLISECONDS)
                .handle((results, err) -> {
                    latency.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
                    if (err != null) {
                        Throwable c = err instanceof CompletionException ? Objects.requireNonNullElse(err.getCause(), err) : err;
                        if (c instanceof TimeoutException) {
                            throw new ApiException(504, "TIMEOUT", "agents did not answer within " + timeoutMs + " ms");
                        }
                        if (c instanceof ApiException a) {
                            throw a;
                        }
                        throw new ApiException(502, "INTERNAL", String.valueOf(c.getMessage()));
                    }
                    return new Answer(results, t0);
                });
    }

    /** The whole request on one agent; retried once elsewhere when the agent is overloaded, gone or failing. */
    private CompletableFuture<List<FrameResult>> send(FramePlan.Frames frames, List<AgentInfo> candidates,
                                                      List<String> tried, int attemptsLeft, long deadline) {
        String what = String.join(",", frames.taskNames());
        AgentInfo agent = agents.choose(candidates, tried);
        if (agent == null) {
            return CompletableFuture.failedFuture(new ApiException(503, "UNAVAILABLE",
                    "every agent running '" + what + "' is overloaded or failing"));
        }
        tried.add(agent.id());
        CircuitBreaker breaker = agents.breaker(agent.id());
        if (!breaker.tryAcquirePermission()) {
            return send(frames, candidates, tried, attemptsLeft, deadline);
        }
        long start = System.nanoTime();
        var inFlight = agents.inFlight(agent.id());
        inFlight.incrementAndGet();
        CreditQueue queue = agents.creditQueue(agent.id());
        long n = counter.incrementAndGet();
        long at = Envelopes.nowMicros();
        CompletableFuture<List<FrameResult>> out = new CompletableFuture<>();
        agents.connection(agent).thenCompose((AgentConnection c) -> frames.scoped()
                ? scoped(c, queue, streamPrefix + "req-" + n, frames, at, deadline)
                // the ids are this coordinator's own: an agent gives an unregistered stream to the
                // first party that sends it, so coordinators sharing agents must not share stream ids
                : queue.send(c, frame(streamPrefix + (n % 32), n, frames, 0, at, deadline), deadline).thenApply(List::of)
        ).whenComplete((r, err) -> {
            inFlight.decrementAndGet();
            long dt = System.nanoTime() - start;
            if (err == null) {
                breaker.onSuccess(dt, TimeUnit.NANOSECONDS);
                out.complete(r);
                return;
            }
            Throwable c = err instanceof CompletionException ? Objects.requireNonNullElse(err.getCause(), err) : err;
            if (c instanceof AgentErrorException ae) {
                switch (ae.code()) {
                    case IMAGE_DECODE_FAILED, BAD_REQUEST, UNSUPPORTED_TASK -> {
                        breaker.onSuccess(dt, TimeUnit.NANOSECONDS); // the agent is fine; the input is not
                        out.completeExceptionally(new ApiException(400, ae.code().name(), ae.getMessage()));
                        return;
                    }
                    case TOO_LARGE -> {
                        breaker.onSuccess(dt, TimeUnit.NANOSECONDS);
                        out.completeExceptionally(new ApiException(413, "TOO_LARGE", ae.getMessage()));
                        return;
                    }
                    case TIMEOUT -> {
                        // the deadline passed in a queue (ours or the agent's): overload, not a broken agent
                        breaker.onSuccess(dt, TimeUnit.NANOSECONDS);
                        out.completeExceptionally(new ApiException(504, "TIMEOUT", ae.getMessage()));
                        return;
                    }
                    case OVERLOADED, UNAVAILABLE -> {
                        metrics.counter("argus.gateway.shed", "agent", agent.id()).increment();
                        breaker.onSuccess(dt, TimeUnit.NANOSECONDS);
                    }
                    default -> breaker.onError(dt, TimeUnit.NANOSECONDS, ae);
                }
            } else {
                breaker.onError(dt, TimeUnit.NANOSECONDS, c);
            }
            if (attemptsLeft > 1 && System.nanoTime() < deadline) {
                send(frames, candidates, tried, attemptsLeft - 1, deadline).whenComplete((r2, e2) -> {
                    if (e2 != null) {
                        out.completeExceptionally(e2);
                    } else {
                        out.complete(r2);
                    }
                });
            } else {
                out.completeExceptionally(new ApiException(503, "UNAVAILABLE", "agents shed or failed '"
                        + what + "': " + c.getMessage()));
            }
        });
        return out;
    }

    /**
     * The request's frames on a stream of its own: OPEN fresh, each frame after the previous one's
     * answer (the agent applies a stateful stream's frames strictly in order), RESET after the last
     * answer or the first failure.
     */
    private static CompletableFuture<List<FrameResult>> scoped(AgentConnection c, CreditQueue queue, String stream,
                                                               FramePlan.Frames frames, long at, long deadline) {
        c.control(StreamControl.newBuilder().setStreamId(stream).setAction(StreamControl.Action.OPEN).setFresh(true)
                .setNextSequence(1).setRun(Envelopes.nowMicros()).build());
        CompletableFuture<List<FrameResult>> chain = CompletableFuture.completedFuture(new ArrayList<>());
        for (int i = 0; i < frames.images().size(); i++) {
            int index = i;
            chain = chain.thenCompose(done -> {
                if (System.nanoTime() - deadline > 0) {
                    // the request is answered 504 already: send no more of its frames
                    return CompletableFuture.failedFuture(new AgentErrorException(Code.TIMEOUT,
                            "the request's deadline passed after " + index + " of its " + frames.images().size() + " images"));
                }
                return queue.send(c, frame(stream, index + 1, frames, index, at, deadline), deadline).thenApply(r -> {
                    done.add(r);
                    return done;
                });
            });
        }
        return chain.whenComplete((r, e) -> c.control(StreamControl.newBuilder()
                .setStreamId(stream).setAction(StreamControl.Action.RESET).build()));
    }

    private static FrameRequest frame(String stream, long sequence, FramePlan.Frames frames, int index, long captureUs,
                                      long deadline) {
        long leftMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
        // the images of a request are one moment: a mosaic draws none of them as stale
        return FrameRequest.newBuilder().setStreamId(stream).setSequence(sequence)
                .setCaptureTimeUs(captureUs).setImage(frames.images().get(index))
                .addAllTasks(frames.tasks().get(index)).setSourceIndex(index)
                .setDeadlineMs((int) Math.min(Integer.MAX_VALUE, leftMs)).build();
    }
}
