package io.argus.coordinator.http;

import org.jspecify.annotations.Nullable;
import static io.argus.coordinator.http.HttpResponses.sendError;
import static io.argus.coordinator.http.HttpResponses.write;

import io.argus.coordinator.store.EventStore;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The routes that read the durable record ({@link EventStore}): events and their thumbnails, a
 * stream's counts, totals and exported state. Query strings carry epoch milliseconds; the store
 * keeps microseconds.
 */
final class EventHandlers {
    /** Largest {@code limit} of /v1/events. */
    static final int MAX_EVENTS = 10_000;

    private final EventStore store;
    private final Offload offload;

    EventHandlers(EventStore store, Offload offload) {
        this.store = store;
        this.offload = offload;
    }

    /** GET /v1/events?stream=&amp;type=&amp;from=&amp;to=&amp;limit=. */
    void events(Router.Request r) {
        QueryStringDecoder q = r.query();
        offload.json(r, () -> {
            String stream = first(q, "stream");
            String type = first(q, "type");
            Long from = q.parameters().containsKey("from") ? longParam(q, "from", 0) * 1000 : null;
            Long to = q.parameters().containsKey("to") ? longParam(q, "to", 0) * 1000 : null;
            long limit = longParam(q, "limit", 1000);
            if (limit < 1 || limit > MAX_EVENTS) {
                throw JsonErrors.badRequest("query parameter 'limit' must be 1-" + MAX_EVENTS);
            }
            return ApiJson.events(store.events(stream, type, from, to, (int) limit));
        });
    }

    /** GET /v1/events/{event}/thumbnail: the JPEG, or 404. */
    void thumbnail(Router.Request r) {
        String id = r.param("event");
        offload.run(r.ctx(), r.keepAlive(), () -> {
            var jpeg = store.thumbnail(id);
            if (jpeg.isEmpty()) {
                sendError(r.ctx(), r.keepAlive(), new ApiException(404, "NOT_FOUND", "no thumbnail for " + id));
                return;
            }
            FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    Unpooled.wrappedBuffer(jpeg.get()));
            res.headers().set(HttpHeaderNames.CONTENT_TYPE, "image/jpeg");
            write(r.ctx(), r.keepAlive(), res);
        });
    }

    /** /v1/streams/{stream}/state: the stream's latest exported state (a protobuf StateBundle), or 404. */
    void state(Router.Request r) {
        String id = r.param("stream");
        offload.run(r.ctx(), r.keepAlive(), () -> {
            var st = store.state(id);
            if (st.isEmpty()) {
                sendError(r.ctx(), r.keepAlive(), new ApiException(404, "NOT_FOUND", "no state recorded for " + id));
                return;
            }
            FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    Unpooled.wrappedBuffer(st.get()));
            res.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/x-protobuf; messageType=argus.v1.StateBundle");
            write(r.ctx(), r.keepAlive(), res);
        });
    }

    /**
     * Most buckets one {@code /counts} answer holds: 10,080, a week in minutes. A request for more
     * (1-second buckets over a year) would make the answer, not the query, the cost; it gets 400.
     */
    static final long MAX_BUCKETS = 7 * 24 * 60;

    /**
     * /v1/streams/{stream}/counts?from=&amp;to=&amp;bucket=1m&amp;kind=line: the last hour in 1-minute
     * buckets by default; {@code kind=zone} counts zone entries and exits instead of line crossings.
     */
    void counts(Router.Request r) {
        String id = r.param("stream");
        QueryStringDecoder q = r.query();
        EventStore.CountKind kind = kind(q);
        offload.json(r, () -> {
            long now = System.currentTimeMillis();
            long from = longParam(q, "from", now - 3_600_000L) * 1000;
            long to = longParam(q, "to", now + 1) * 1000;
            long bucket = bucket(q.parameters().getOrDefault("bucket", List.of("1m")).get(0));
            if (to <= from || (to - from) / bucket > MAX_BUCKETS) {
                throw new ApiException(400, "BAD_REQUEST", "from/to/bucket give " + Math.max(0, (to - from) / bucket)
                        + " buckets; between 1 and " + MAX_BUCKETS + " are served: narrow the range or widen the bucket");
            }
            return ApiJson.counts(id, bucket, store.counts(id, kind, from, to, bucket), store.totals(id, kind));
        });
    }

    /** /v1/streams/{stream}/totals?kind=line. */
    void totals(Router.Request r) {
        String id = r.param("stream");
        EventStore.CountKind kind = kind(r.query());
        offload.json(r, () -> ApiJson.totals(id, store.totals(id, kind)));
    }

    private static EventStore.CountKind kind(QueryStringDecoder q) {
        String v = first(q, "kind");
        if (v == null || v.equals("line")) {
            return EventStore.CountKind.LINE;
        }
        if (v.equals("zone")) {
            return EventStore.CountKind.ZONE;
        }
        throw new ApiException(400, "BAD_REQUEST", "kind '" + v + "' must be line or zone");
    }

    private static @Nullable String first(QueryStringDecoder q, String name) {
        List<String> v = q.parameters().get(name);
        return v == null || v.isEmpty() || v.get(0).isBlank() ? null : v.get(0);
    }

    private static long longParam(QueryStringDecoder q, String name, long def) {
        String v = first(q, name);
        if (v == null) {
            return def;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new ApiException(400, "BAD_REQUEST", "query parameter '" + name + "' = '" + v + "' is not a number");
        }
    }

    /** "30s", "1m", "15m", "1h", "1d" to microseconds. */
    static long bucket(String v) {
        Matcher m = Pattern.compile("^(\\d{1,4})([smhd])$").matcher(v);
        if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
            throw new ApiException(400, "BAD_REQUEST", "bucket '" + v + "' must look like 30s, 1m, 1h or 1d");
        }
        long n = Long.parseLong(m.group(1));
        long unit = switch (m.group(2)) {
            case "s" -> 1_000_000L;
            case "m" -> 60_000_000L;
            case "h" -> 3_600_000_000L;
            default -> 86_400_000_000L;
        };
        return n * unit;
    }
}
