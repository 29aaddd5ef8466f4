package io.argus.coordinator.http;

import com.google.protobuf.ByteString;
import io.argus.protocol.StatefulTasks;
import io.argus.protocol.v1.Encoding;
import io.argus.protocol.v1.Image;
import io.argus.protocol.v1.TaskRequest;
import io.argus.task.api.TaskException;
import io.argus.task.api.TaskNames;
import io.argus.task.image.ImageHeader;
import io.argus.task.image.ImageLimits;
import io.argus.task.params.TaskParams;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a request's images and tasks into the frames one agent will run: every image is one frame
 * carrying all the request's tasks in the request's order, so a task sees the results of the tasks
 * before it on the same frame ({@code annotate} burns in the boxes of {@code faces}).
 *
 * <p>The compositing tasks take a per-image parameter that the gateway fills in from the image's
 * name (given in the request, else its position from 1): {@code stitch}'s {@code camera} and
 * {@code mosaic}'s {@code tile}; {@code mosaic}'s {@code every} defaults to the image count, so the
 * wall is composed once, on the last image. A request that sets {@code camera} or {@code tile}
 * itself is refused: each image has its own. {@code stitch} takes exactly two images.
 *
 * <p>Every image's header is checked against the pixel limits before anything is sent, and every
 * frame's parameters with the agents' own rules ({@link TaskParams}).
 */
final class FramePlan {
    /**
     * The frames of a request.
     *
     * @param scoped the frames run on a stream of the request's own, opened fresh and reset after the
     *               answer: a stateful task (its state must start empty and must not outlive the
     *               request) or several images (which must meet in one state, and nobody else's)
     */
    record Frames(List<Image> images, List<List<TaskRequest>> tasks, List<String> taskNames, boolean scoped) {
    }

    private FramePlan() {
    }

    static Frames of(ImageBody.Job job, ImageLimits limits) {
        List<String> names = new ArrayList<>(job.tasks().keySet());
        int count = job.images().size();
        List<String> imageNames = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String n = job.images().get(i).name();
            imageNames.add(n.isEmpty() ? String.valueOf(i + 1) : n);
        }
        if (new HashSet<>(imageNames).size() != count) {
            throw JsonErrors.badRequest("the images' names must differ: " + imageNames);
        }
        // parameters first (the names were checked when the body was read, so the first image's
        // stand for all): user input whose checking costs time, and an unknown task is the first thing to say
        for (Map.Entry<String, Map<String, String>> t : job.tasks().entrySet()) {
            try {
                TaskParams.validate(t.getKey(), perImage(t.getKey(), t.getValue(), imageNames.get(0), count));
            } catch (TaskException e) {
                throw new ApiException(400, e.code().name(), e.getMessage());
            }
        }
        if (names.contains(TaskNames.STITCH) && count != 2) {
            throw JsonErrors.badRequest("stitch composes exactly two images; send them as {\"images\": [a, b]} (got "
                    + count + ")");
        }
        List<Image> images = new ArrayList<>();
        List<List<TaskRequest>> tasks = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            images.add(image(job.images().get(i).data(), count == 1 ? "the image" : "image " + (i + 1), limits));
            List<TaskRequest> frame = new ArrayList<>();
            for (Map.Entry<String, Map<String, String>> t : job.tasks().entrySet()) {
                frame.add(TaskRequest.newBuilder().setName(t.getKey())
                        .putAllParams(perImage(t.getKey(), t.getValue(), imageNames.get(i), count)).build());
            }
            tasks.add(frame);
        }
        return new Frames(images, tasks, names, count > 1 || StatefulTasks.any(names));
    }

    private static Map<String, String> perImage(String task, Map<String, String> params, String name, int count) {
        String key = switch (task) {
            case TaskNames.STITCH -> "camera";
            case TaskNames.MOSAIC -> "tile";
            default -> null;
        };
        if (key == null) {
            return params;
        }
        if (params.containsKey(key)) {
            throw JsonErrors.badRequest("parameter '" + key + "' of " + task + " is each image's name: name the images "
                    + "({\"images\": [{\"name\": ..., \"image_base64\": ...}]}) instead of setting it");
        }
        Map<String, String> p = new LinkedHashMap<>(params);
        p.put(key, name);
        if (task.equals(TaskNames.MOSAIC)) {
            p.putIfAbsent("every", String.valueOf(count));
        }
        return p;
    }

    private static Image image(byte[] data, String what, ImageLimits limits) {
        ImageHeader h = ImageHeader.probe(data);
        if (h == null) {
            throw new ApiException(400, "IMAGE_DECODE_FAILED", what + " is not a JPEG or PNG");
        }
        if (h.width() <= 0 || h.height() <= 0) {
            throw new ApiException(400, "BAD_REQUEST", what + ": size " + h.width() + "x" + h.height() + " is empty");
        }
        if (h.pixels() > limits.maxPixels() || h.width() > limits.maxDimension() || h.height() > limits.maxDimension()) {
            throw new ApiException(413, "TOO_LARGE", what + ": " + h.width() + "x" + h.height() + " exceeds "
                    + limits.maxPixels() + " pixels or " + limits.maxDimension() + " per side");
        }
        return Image.newBuilder().setEncoding(h.format().equals("png") ? Encoding.PNG : Encoding.JPEG)
                .setData(ByteString.copyFrom(data)).setWidth(h.width()).setHeight(h.height()).build();
    }
}
