package io.argus.coordinator.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import io.argus.protocol.Envelopes;
import io.argus.protocol.ResultMerger;
import io.argus.protocol.StatefulTasks;
import io.argus.protocol.client.AgentConnection;
import io.argus.protocol.client.AgentErrorException;
import io.argus.cluster.AgentInfo;
import io.argus.protocol.json.ResultJson;
import io.argus.protocol.v1.Encoding;
import io.argus.protocol.v1.FrameRequest;
import io.argus.protocol.v1.FrameResult;
import io.argus.protocol.v1.Image;
import io.argus.protocol.v1.StreamControl;
import io.argus.protocol.v1.TaskRequest;
import io.argus.task.api.TaskException;
import io.argus.task.params.TaskParams;
import io.argus.task.image.ImageHeader;
import io.argus.task.image.ImageLimits;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code POST /v1/images}: one image, several tasks, one merged answer. Each task is a separate
 * sub-request to an agent chosen by power of two choices; they run in parallel and their results
 * are merged ({@link ResultMerger}). An overloaded or failing agent is retried once on another.
 *
 * <p>Errors: 400 for a bad image or an unknown task, 413 for an image over the pixel limit, 503
 * when no capable agent is available or all shed load, 504 when the sub-requests do not finish
 * within the timeout (2 s by default).
 */
final class ImageRequests {
    private final AgentPool agents;
    private final ImageLimits limits;
    private final long timeoutMs;
    private final AtomicLong counter = new AtomicLong();
    private final String streamPrefix;
    private final Timer latency;
    private final MeterRegistry metrics;

    ImageRequests(AgentPool agents, ImageLimits limits, long timeoutMs, MeterRegistry metrics) {
        String id = agents.clientId();
        // within the 128 characters of a stream id, with room for the suffix
        this.streamPrefix = (id.length() <= 100 ? id : id.substring(0, 80) + "-" + Integer.toHexString(id.hashCode())) + "-";
        this.agents = agents;
        this.limits = limits;
        this.timeoutMs = timeoutMs;
        this.metrics = metrics;
        this.latency = Timer.builder("argus.gateway.images").publishPercentiles(0.5, 0.99).register(metrics);
    }

    record Parsed(byte[] image, Map<String, Map<String, String>> tasks) {
    }

    /** Reads the body: raw image/* bytes (tasks in the query), or JSON {image_base64, tasks, params}. */
    static Parsed parse(String contentType, byte[] body, List<String> queryTasks) {
        Map<String, Map<String, String>> tasks = new LinkedHashMap<>();
        byte[] image;
        String ct = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        if (ct.startsWith("application/json")) {
            JsonNode n;
            try {
                n = ResultJson.MAPPER.readTree(body);
            } catch (Exception e) {
                throw new ApiException(400, "BAD_REQUEST", "body is not valid JSON: " + e.getMessage());
            }
            String b64 = n.path("image_base64").asText("");
            if (b64.isEmpty()) {
                throw new ApiException(400, "BAD_REQUEST", "JSON body needs image_base64");
            }
            try {
                image = Base64.getDecoder().decode(b64);
            } catch (IllegalArgumentException e) {
                throw new ApiException(400, "BAD_REQUEST", "image_base64 is not base64");
            }
            for (JsonNode t : n.path("tasks")) {
                tasks.put(t.asText(), new LinkedHashMap<>());
            }
            n.path("params").properties().forEach(e -> {
                Map<String, String> p = tasks.computeIfAbsent(e.getKey(), k -> new LinkedHashMap<>());
                e.getValue().properties().forEach(kv -> p.put(kv.getKey(), kv.getValue().asText()));
            });
        } else if (ct.startsWith("image/") || ct.equals("application/octet-stream") || ct.isEmpty()) {
            image = body;
        } else {
            throw new ApiException(415, "UNSUPPORTED_MEDIA_TYPE", "send image/jpeg, image/png or application/json, not " + ct);
        }
        for (String t : queryTasks) {
            tasks.putIfAbsent(t, new LinkedHashMap<>());
        }
        if (tasks.isEmpty()) {
            throw new ApiException(400, "BAD_REQUEST", "no tasks: use ?tasks=a,b or a JSON tasks array");
        }
        return new Parsed(image, tasks);
    }

    CompletableFuture<ObjectNode> handle(Parsed req) {
        long t0 = System.nanoTime();
        for (Map.Entry<String, Map<String, String>> t : req.tasks().entrySet()) {
            try {
                TaskParams.validate(t.getKey(), t.getValue());
            } catch (TaskException e) {
                throw new ApiException(400, e.code().name(), e.getMessage());
            }
        }
        ImageHeader h = ImageHeader.probe(req.image());
        if (h == null) {
            throw new ApiException(400, "IMAGE_DECODE_FAILED", "the body is not a JPEG or PNG");
        }
        if (h.width() <= 0 || h.height() <= 0) {
            throw new ApiException(400, "BAD_REQUEST", "image size " + h.width() + "x" + h.height() + " is empty");
        }
        if (h.pixels() > limits.maxPixels() || h.width() > limits.maxDimension() || h.height() > limits.maxDimension()) {
            throw new ApiException(413, "TOO_LARGE", "image " + h.width() + "x" + h.height() + " exceeds "
                    + limits.maxPixels() + " pixels or " + limits.maxDimension() + " per side");
        }
        Image image = Image.newBuilder().setEncoding(h.format().equals("png") ? Encoding.PNG : Encoding.JPEG)
                .setData(ByteString.copyFrom(req.image())).setWidth(h.width()).setHeight(h.height()).build();
        List<CompletableFuture<FrameResult>> parts = new ArrayList<>();
        for (Map.Entry<String, Map<String, String>> t : req.tasks().entrySet()) {
            List<AgentInfo> candidates = agents.candidates(t.getKey());
            if (candidates.isEmpty()) {
                throw new ApiException(503, "UNAVAILABLE", "no live agent runs task '" + t.getKey() + "'");
            }
            TaskRequest tr = TaskRequest.newBuilder().setName(t.getKey()).putAllParams(t.getValue()).build();
            parts.add(send(image, tr, candidates, new ArrayList<>(), 2));
        }
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new))
                .orTimeout(timeoutMs, TimeUnit.MILLISECONDS)
                .handle((v, err) -> {
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
                    List<FrameResult> results = parts.stream().map(CompletableFuture::join).toList();
                    FrameResult merged = ResultMerger.mergeFrames(results);
                    ObjectNode out = ResultJson.MAPPER.createObjectNode();
                    out.put("status", ResultMerger.firstFailure(merged).name());
                    out.put("width", merged.getWidth()).put("height", merged.getHeight());
                    out.put("agents", merged.getAgentId());
                    out.set("tasks", ResultJson.tasks(merged, true));
                    out.put("latency_ms", Math.round((System.nanoTime() - t0) / 1e4) / 100.0);
                    return out;
                });
    }

    /** One task on one agent; retries once elsewhere when the agent is overloaded, gone or failing. */
    private CompletableFuture<FrameResult> send(Image image, TaskRequest task, List<AgentInfo> candidates,
                                                List<String> tried, int attemptsLeft) {
        AgentInfo agent = agents.choose(candidates, tried);
        if (agent == null) {
            return CompletableFuture.failedFuture(new ApiException(503, "UNAVAILABLE",
                    "every agent running '" + task.getName() + "' is overloaded or failing"));
        }
        tried.add(agent.id());
        CircuitBreaker breaker = agents.breaker(agent.id());
        if (!breaker.tryAcquirePermission()) {
            return send(image, task, candidates, tried, attemptsLeft);
        }
        long start = System.nanoTime();
        var inFlight = agents.inFlight(agent.id());
        inFlight.incrementAndGet();
        // a few stream ids in turn: stateless requests spread over the agent's lanes. The ids are
        // this coordinator's own: an agent gives an unregistered stream to the first party that
        // sends it, so coordinators sharing agents must not share stream ids
        // A stateful task (people, text, ...) is sequenced on the agent: its stream must be OPENed, and
        // one image is a stream of one frame. So it gets a stream of its own, opened fresh at this
        // sequence and RESET after the answer, which frees the state and the agent's claim on the id.
        boolean stateful = StatefulTasks.NAMES.contains(task.getName());
        long n = counter.incrementAndGet();
        String stream = stateful ? streamPrefix + "once-" + n : streamPrefix + (n % 32);
        FrameRequest fr = FrameRequest.newBuilder().setStreamId(stream).setSequence(n)
                .setCaptureTimeUs(Envelopes.nowMicros()).setImage(image).addTasks(task)
                .setDeadlineMs((int) timeoutMs).build();
        CompletableFuture<FrameResult> out = new CompletableFuture<>();
        long deadline = start + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        CreditQueue queue = agents.creditQueue(agent.id());
        agents.connection(agent).thenCompose((AgentConnection c) -> {
            if (!stateful) {
                return queue.send(c, fr, deadline);
            }
            c.control(StreamControl.newBuilder().setStreamId(stream).setAction(StreamControl.Action.OPEN).setFresh(true)
                    .setNextSequence(n).setRun(Envelopes.nowMicros()).build());
            return queue.send(c, fr, deadline).whenComplete((r, e) -> c.control(StreamControl.newBuilder()
                    .setStreamId(stream).setAction(StreamControl.Action.RESET).build()));
        }).whenComplete((r, err) -> {
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
            if (attemptsLeft > 1) {
                send(image, task, candidates, tried, attemptsLeft - 1).whenComplete((r2, e2) -> {
                    if (e2 != null) {
                        out.completeExceptionally(e2);
                    } else {
                        out.complete(r2);
                    }
                });
            } else {
                out.completeExceptionally(new ApiException(503, "UNAVAILABLE", "agents shed or failed task '"
                        + task.getName() + "': " + c.getMessage()));
            }
        });
        return out;
    }
}
