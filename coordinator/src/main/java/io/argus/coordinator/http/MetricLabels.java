package io.argus.coordinator.http;

import io.netty.handler.codec.http.HttpMethod;

import java.util.Set;

/**
 * Label values for the gateway's request metrics, from fixed sets. The method and the path come
 * from the client: used as labels as they are, every made-up method name or path would be a new
 * time series kept for the life of the process (20,000 made-up methods grew /metrics from 8.5 KB to
 * 2.2 MB). So methods outside the usual ones are "OTHER", and paths are the router's templates.
 */
final class MetricLabels {
    private static final Set<String> METHODS = Set.of("GET", "PUT", "POST", "DELETE", "HEAD", "OPTIONS");

    private MetricLabels() {
    }

    static String method(HttpMethod m) {
        String name = m == null ? "" : m.name();
        return METHODS.contains(name) ? name : "OTHER";
    }

    /** The route template of a path, or "unmatched"; never the path itself. */
    static String route(String path) {
        if (path == null) {
            return "unmatched";
        }
        return switch (path) {
            case "/v1/images", "/v1/agents", "/v1/streams", "/v1/events", "/healthz", "/metrics" -> path;
            default -> {
                if (path.startsWith("/image/") && path.indexOf('/', "/image/".length()) < 0) {
                    yield "/image/{type}";
                }
                if (path.startsWith("/v1/events/") && path.endsWith("/thumbnail")) {
                    yield "/v1/events/{id}/thumbnail";
                }
                if (path.startsWith("/v1/streams/")) {
                    String rest = path.substring("/v1/streams/".length());
                    int slash = rest.indexOf('/');
                    if (slash < 0) {
                        yield "/v1/streams/{id}";
                    }
                    String sub = rest.substring(slash);
                    yield switch (sub) {
                        case "/config", "/counts", "/totals", "/state" -> "/v1/streams/{id}" + sub;
                        default -> "unmatched";
                    };
                }
                yield "unmatched";
            }
        };
    }
}
