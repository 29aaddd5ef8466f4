package io.argus.coordinator.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.argus.protocol.ResultMerger;
import io.argus.protocol.json.ResultJson;
import io.argus.protocol.v1.Code;
import io.argus.protocol.v1.FrameResult;
import io.argus.protocol.v1.ImageData;
import io.argus.protocol.v1.TaskResult;

import java.util.Base64;
import java.util.TreeMap;

/**
 * The JSON answers of the two image routes. Of a request with several images, the answer is the
 * last image's: its frame ran after all the others in the request's stream, so its results hold
 * the composite of them all (the panorama, the wall).
 */
final class ImageAnswers {
    /** An answer: its HTTP status and body. */
    record Reply(int status, ObjectNode body) {
    }

    private ImageAnswers() {
    }

    /**
     * {@code /v1/images}: {@code status} (the first failed task's code, or OK), {@code width},
     * {@code height}, {@code agents}, {@code tasks} (per task, as {@link ResultJson#tasks}),
     * {@code merged} (the tasks' results merged as {@link #merged} says), {@code latency_ms}; with
     * several images also {@code frames}, every image's per-task results without image data.
     * Always 200: each task carries its own status.
     */
    static Reply v1(ImageRequests.Answer a) {
        FrameResult last = a.last();
        ObjectNode out = ResultJson.MAPPER.createObjectNode();
        out.put("status", ResultMerger.firstFailure(last).name());
        out.put("width", last.getWidth()).put("height", last.getHeight());
        out.put("agents", last.getAgentId());
        out.set("tasks", ResultJson.tasks(last, true));
        out.set("merged", merged(ResultMerger.merge(last.getTasksList())));
        if (a.frames().size() > 1) {
            ArrayNode frames = out.putArray("frames");
            a.frames().forEach(f -> frames.add(ResultJson.tasks(f, false)));
        }
        out.put("latency_ms", a.latencyMs());
        return new Reply(200, out);
    }

    /**
     * {@code /image/{type}}: the merged {@code Data} alone ({@link #merged}). 200 when every task
     * succeeded; otherwise the HTTP status of the first failed task's code, and the body also
     * carries the API's usual {@code error} object with that code and message (the merged data
     * stays beside it, so what did succeed is not lost).
     */
    static Reply compat(ImageRequests.Answer a) {
        TaskResult m = ResultMerger.merge(a.last().getTasksList());
        ObjectNode out = merged(m);
        if (m.getStatus() == Code.OK) {
            return new Reply(200, out);
        }
        out.putObject("error").put("code", m.getStatus().name()).put("message", m.getMessage());
        return new Reply(httpStatus(m.getStatus()), out);
    }

    /**
     * The original design's {@code Data}, merged as its {@code MergeResults} did ({@link ResultMerger#merge}):
     * {@code task} (the tasks, comma-separated), {@code status} (OK, or the first failed task's code),
     * {@code message} (that task's), {@code strings} and {@code numbers} (every task's maps merged;
     * keys are prefixed by task), {@code images} (every task's, concatenated in task order: name,
     * encoding, width, height, data_base64), and {@code overlays} and {@code events} (concatenated
     * too). Every field is present, empty when no task filled it.
     */
    static ObjectNode merged(TaskResult m) {
        ObjectNode n = ResultJson.MAPPER.createObjectNode();
        n.put("task", m.getTask());
        n.put("status", m.getStatus().name());
        n.put("message", m.getMessage());
        ObjectNode strings = n.putObject("strings");
        new TreeMap<>(m.getStringsMap()).forEach(strings::put);
        ObjectNode numbers = n.putObject("numbers");
        new TreeMap<>(m.getNumbersMap()).forEach(numbers::put);
        ArrayNode images = n.putArray("images");
        for (ImageData img : m.getImagesList()) {
            images.addObject().put("name", img.getName()).put("encoding", img.getEncoding().name())
                    .put("width", img.getWidth()).put("height", img.getHeight())
                    .put("data_base64", Base64.getEncoder().encodeToString(img.getData().toByteArray()));
        }
        ArrayNode overlays = n.putArray("overlays");
        m.getOverlaysList().forEach(o -> overlays.add(ResultJson.overlay(o)));
        ArrayNode events = n.putArray("events");
        m.getEventsList().forEach(e -> events.add(ResultJson.event(e)));
        return n;
    }

    /** The HTTP status of a task's failure, as the gateway answers the same code from an agent. */
    static int httpStatus(Code code) {
        return switch (code) {
            case OK -> 200;
            case BAD_REQUEST, UNSUPPORTED_TASK, IMAGE_DECODE_FAILED, OUT_OF_ORDER -> 400;
            case TOO_LARGE -> 413;
            case OVERLOADED, UNAVAILABLE, NOT_OWNER -> 503;
            case TIMEOUT -> 504;
            case UNAUTHENTICATED -> 401;
            case PERMISSION_DENIED -> 403;
            default -> 500;
        };
    }
}
