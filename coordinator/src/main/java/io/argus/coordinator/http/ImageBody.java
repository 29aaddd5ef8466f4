package io.argus.coordinator.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.argus.protocol.Names;
import io.argus.protocol.json.ResultJson;
import io.argus.task.image.ImageHeader;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.multipart.DefaultHttpDataFactory;
import io.netty.handler.codec.http.multipart.FileUpload;
import io.netty.handler.codec.http.multipart.HttpPostRequestDecoder;
import io.netty.handler.codec.http.multipart.InterfaceHttpData;

import java.io.IOException;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the body of an image request into images and tasks. Accepted bodies:
 * <ul>
 *   <li>the raw image ({@code image/jpeg}, {@code image/png}, {@code application/octet-stream} or no
 *       content type); the tasks come from the route;</li>
 *   <li>JSON with one image: {@code {"image_base64": "..."}} or the original design's
 *       {@code {"image_data": "...", "image_type": 0}} ({@code image_type} is accepted as a whole
 *       number and otherwise ignored: the format is read from the image's own header);</li>
 *   <li>JSON with several images, for compositing ({@code stitch}, {@code mosaic}):
 *       {@code {"images": ["<base64>", {"name": "left", "image_base64": "..."}, ...]}}; a name
 *       (1-128 of [A-Za-z0-9._-]) becomes the image's camera or tile, default its position from 1;</li>
 *   <li>in JSON also {@code "tasks": [...]} and {@code "params": {"task": {"key": "value"}}};</li>
 *   <li>{@code multipart/form-data}: every file part is an image, named by its form field
 *       ({@code curl -F left=@a.jpg -F right=@b.jpg}).</li>
 * </ul>
 * With {@code sniff} (the compatibility route) the content type is not trusted: {@code curl -d}
 * sends JSON as a form, so a body that starts with '{' is JSON and one with a JPEG or PNG header is
 * the image. Everything else is a 400 or 415 that says what was expected.
 */
final class ImageBody {
    /** One image of a request and the name the client gave it ("" when none). */
    record NamedImage(String name, byte[] data) {
    }

    /** What a request asks for: its images in order, and its tasks in order with their parameters. */
    record Job(List<NamedImage> images, Map<String, Map<String, String>> tasks) {
    }

    private ImageBody() {
    }

    static Job parse(String contentType, byte[] body, List<String> routeTasks, boolean sniff, int maxImages) {
        Map<String, Map<String, String>> tasks = new LinkedHashMap<>();
        List<NamedImage> images = new ArrayList<>();
        String ct = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        if (ct.startsWith("multipart/form-data")) {
            multipart(contentType, body, images, maxImages);
        } else if (ct.startsWith("application/json") || (sniff && startsWithBrace(body))) {
            json(body, images, tasks, maxImages);
        } else if (ct.startsWith("image/") || ct.equals("application/octet-stream") || ct.isEmpty()
                || (sniff && ImageHeader.probe(body) != null)) {
            images.add(new NamedImage("", body));
        } else {
            throw new ApiException(415, "UNSUPPORTED_MEDIA_TYPE", "send image/jpeg, image/png or application/json, not " + ct);
        }
        for (String t : routeTasks) {
            tasks.putIfAbsent(t, new LinkedHashMap<>());
        }
        if (tasks.isEmpty()) {
            throw new ApiException(400, "BAD_REQUEST", "no tasks: use ?tasks=a,b, /image/a,b or a JSON tasks array");
        }
        return new Job(images, tasks);
    }

    private static void json(byte[] body, List<NamedImage> images, Map<String, Map<String, String>> tasks, int maxImages) {
        JsonNode n;
        try {
            n = ResultJson.MAPPER.readTree(body);
        } catch (Exception e) {
            throw JsonErrors.badRequest("body is not valid JSON: " + e.getMessage());
        }
        if (n == null || !n.isObject()) {
            throw JsonErrors.badRequest("the JSON body must be an object");
        }
        JsonNode type = n.path("image_type");
        if (!type.isMissingNode() && !type.isNull() && !type.canConvertToInt()) {
            throw JsonErrors.badRequest("image_type must be a whole number (it is a hint; the image's header decides)");
        }
        String single = imageField(n);
        JsonNode list = n.path("images");
        if (!single.isEmpty() && !list.isMissingNode()) {
            throw JsonErrors.badRequest("send either one image (image_base64 or image_data) or images: [...], not both");
        }
        if (!single.isEmpty()) {
            images.add(new NamedImage("", decode(single, "image")));
        } else if (list.isArray()) {
            if (list.size() > maxImages) {
                throw new ApiException(413, "TOO_LARGE", list.size() + " images in one request, over the limit of "
                        + maxImages + " (ImageRequestConfig.maxImages)");
            }
            for (int i = 0; i < list.size(); i++) {
                JsonNode e = list.get(i);
                String what = "images[" + i + "]";
                if (e.isTextual()) {
                    images.add(new NamedImage("", decode(e.asText(), what)));
                } else if (e.isObject()) {
                    String name = e.path("name").asText("");
                    if (!name.isEmpty() && !Names.isValid(name)) {
                        throw JsonErrors.badRequest(what + ".name must be 1-128 of [A-Za-z0-9._-]");
                    }
                    String data = imageField(e);
                    if (data.isEmpty()) {
                        throw JsonErrors.badRequest(what + " needs image_base64 (or image_data)");
                    }
                    images.add(new NamedImage(name, decode(data, what)));
                } else {
                    throw JsonErrors.badRequest(what + " must be a base64 string or {\"name\", \"image_base64\"}");
                }
            }
        } else if (!list.isMissingNode()) {
            throw JsonErrors.badRequest("images must be an array");
        }
        if (images.isEmpty()) {
            throw JsonErrors.badRequest("JSON body needs image_base64 (or image_data), or a non-empty images array");
        }
        for (JsonNode t : n.path("tasks")) {
            tasks.put(t.asText(), new LinkedHashMap<>());
        }
        n.path("params").properties().forEach(e -> {
            Map<String, String> p = tasks.computeIfAbsent(e.getKey(), k -> new LinkedHashMap<>());
            e.getValue().properties().forEach(kv -> p.put(kv.getKey(), kv.getValue().asText()));
        });
    }

    /**
     * {@code multipart/form-data} ({@code curl -F left=@a.jpg -F right=@b.jpg}): every file part is
     * an image, in order, named by its form field (a field called "image" or "images",
     * or one that is not a valid name, leaves the name to the image's position). Other parts are
     * ignored. Decoded in memory from the body already read (bounded by the body limit), on the
     * blocking executor; every buffer the decoder made is released before this returns.
     */
    private static void multipart(String contentType, byte[] body, List<NamedImage> images, int maxImages) {
        FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/",
                Unpooled.wrappedBuffer(body));
        req.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        HttpPostRequestDecoder decoder = null;
        try {
            decoder = new HttpPostRequestDecoder(new DefaultHttpDataFactory(false), req);
            for (InterfaceHttpData part : decoder.getBodyHttpDatas()) {
                if (!(part instanceof FileUpload f)) {
                    continue;
                }
                if (images.size() == maxImages) {
                    throw new ApiException(413, "TOO_LARGE", "more than " + maxImages
                            + " images in one request, over the limit (ImageRequestConfig.maxImages)");
                }
                String field = f.getName();
                String name = field.equals("image") || field.equals("images") || !Names.isValid(field) ? "" : field;
                images.add(new NamedImage(name, f.get()));
            }
        } catch (HttpPostRequestDecoder.ErrorDataDecoderException | IllegalArgumentException e) {
            throw JsonErrors.badRequest("the multipart body does not decode: " + e.getMessage());
        } catch (IOException e) {
            throw JsonErrors.badRequest("a multipart part cannot be read: " + e.getMessage());
        } finally {
            if (decoder != null) {
                // a part the body ends inside of is held by the decoder alone: destroy() frees only
                // the finished ones (and, for memory parts, not this one), so it is released here
                InterfaceHttpData partial = decoder.currentPartialHttpData();
                decoder.destroy();
                if (partial != null && partial.refCnt() > 0) {
                    partial.release();
                }
            }
            req.release();
        }
        if (images.isEmpty()) {
            throw JsonErrors.badRequest("the multipart body has no file part: send the images as files (curl -F name=@file)");
        }
    }

    private static String imageField(JsonNode n) {
        String b64 = n.path("image_base64").asText("");
        return b64.isEmpty() ? n.path("image_data").asText("") : b64;
    }

    private static byte[] decode(String b64, String what) {
        try {
            // line breaks (`base64` without -w0) are allowed; any other character outside the alphabet is not
            return Base64.getDecoder().decode(b64.indexOf('\n') < 0 ? b64 : b64.replaceAll("[\r\n]", ""));
        } catch (IllegalArgumentException e) {
            throw JsonErrors.badRequest(what + " is not base64");
        }
    }

    private static boolean startsWithBrace(byte[] body) {
        for (byte b : body) {
            if (b == '{') {
                return true;
            }
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return false;
            }
        }
        return false;
    }
}
