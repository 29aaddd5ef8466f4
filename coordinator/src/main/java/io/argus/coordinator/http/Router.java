package io.argus.coordinator.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import org.jspecify.annotations.Nullable;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The HTTP API's route table: method + path template ({@code /v1/streams/{stream}/config}) to a
 * handler. Templates are tried in the order they were declared; the first that matches the path
 * decides. A path parameter must match its pattern whole, and then passes its check (which may
 * answer 400). A matching template without a route for the method answers 405 if it declares a
 * message for that, else 404, as does a path that no template matches.
 */
final class Router {
    /** One request as a handler sees it. */
    record Request(ChannelHandlerContext ctx, FullHttpRequest req, boolean keepAlive, QueryStringDecoder query,
                   HttpMethod method, String path, Map<String, String> params, @Nullable String principal) {
        String param(String name) {
            return Objects.requireNonNull(params.get(name), name); // handlers ask for their template's parameters
        }
    }

    interface Handler {
        void handle(Request r);
    }

    private record Param(Pattern pattern, Consumer<String> check) {
    }

    private static final class Resource {
        final String[] segments;
        final Map<HttpMethod, Handler> routes = new LinkedHashMap<>();
        @Nullable Handler any;
        @Nullable Function<HttpMethod, String> notAllowed;

        Resource(String template) {
            this.segments = template.split("/", -1);
        }
    }

    private final Map<String, Param> params = new HashMap<>();
    private final Map<String, Resource> resources = new LinkedHashMap<>();

    /** Declares path parameter {@code {name}}: its pattern, and a check run once it matched. */
    Router param(String name, String regex, Consumer<String> check) {
        params.put(name, new Param(Pattern.compile(regex), check));
        return this;
    }

    /** A route for one method; {@code method} null means any method. */
    Router route(@Nullable HttpMethod method, String template, Handler handler) {
        Resource r = resources.computeIfAbsent(template, Resource::new);
        if (method == null) {
            r.any = handler;
        } else {
            r.routes.put(method, handler);
        }
        return this;
    }

    /** The 405 message for a method the template has no route for (without one: 404). */
    Router notAllowed(String template, Function<HttpMethod, String> message) {
        resources.computeIfAbsent(template, Resource::new).notAllowed = message;
        return this;
    }

    /** Finds and runs the handler; throws {@link ApiException} for 400, 404 and 405. */
    void dispatch(ChannelHandlerContext ctx, FullHttpRequest req, boolean keepAlive, QueryStringDecoder q,
                  HttpMethod m, String path, @Nullable String principal) {
        String[] parts = path.split("/", -1);
        for (Resource r : resources.values()) {
            Map<String, String> values = match(r.segments, parts);
            if (values == null) {
                continue;
            }
            values.forEach((name, v) -> Objects.requireNonNull(params.get(name)).check().accept(v));
            Handler h = r.routes.getOrDefault(m, r.any);
            if (h == null) {
                if (r.notAllowed != null) {
                    throw new ApiException(405, "METHOD_NOT_ALLOWED", r.notAllowed.apply(m));
                }
                break;
            }
            h.handle(new Request(ctx, req, keepAlive, q, m, path, values, principal));
            return;
        }
        throw new ApiException(404, "NOT_FOUND", "no such resource: " + m + " " + path);
    }

    private @Nullable Map<String, String> match(String[] template, String[] parts) {
        if (template.length != parts.length) {
            return null;
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < template.length; i++) {
            String t = template[i];
            if (t.startsWith("{") && t.endsWith("}")) {
                String name = t.substring(1, t.length() - 1);
                if (!Objects.requireNonNull(params.get(name)).pattern().matcher(parts[i]).matches()) {
                    return null;
                }
                values.put(name, parts[i]);
            } else if (!t.equals(parts[i])) {
                return null;
            }
        }
        return values;
    }

    /** The declared templates, in order (for documentation and tests). */
    List<String> templates() {
        return new ArrayList<>(resources.keySet());
    }
}
