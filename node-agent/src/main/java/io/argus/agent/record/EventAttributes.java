package io.argus.agent.record;

import io.argus.protocol.v1.Event;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Bounds the attributes of the events an agent publishes, before they leave it: each value to
 * {@link #maxValueChars()} characters and the whole map, as the JSON the coordinator stores, to
 * {@link #maxTotalChars()}. A value cut short ends with {@link #MARKER}; each event cut is counted
 * in {@code argus.agent.events.attributes_truncated}.
 *
 * <p>Why at the source: attributes carry user input (a text reading, a watch pattern), and an
 * event that does not fit the coordinator's store cannot be stored. The coordinator now sets such
 * an event aside instead of failing its batch, but then the event is lost to queries; cut here it
 * keeps everything but the tail of the long value. The total is measured as JSON because that is
 * what the store's column holds, and escaping can make a value up to six times longer.
 */
public final class EventAttributes {
    private static final Logger log = LoggerFactory.getLogger(EventAttributes.class);
    /** Longest attribute value, in characters. */
    public static final int DEFAULT_MAX_VALUE_CHARS = 1_024;
    /** Longest attribute map as JSON, in characters: half of the coordinator store's 8,192-character column. */
    public static final int DEFAULT_MAX_TOTAL_CHARS = 4_096;
    /** Ends a value that was cut short. */
    public static final String MARKER = "...[truncated]";

    private final int maxValueChars;
    private final int maxTotalChars;
    private final Counter truncated;

    public EventAttributes(MeterRegistry metrics) {
        this(DEFAULT_MAX_VALUE_CHARS, DEFAULT_MAX_TOTAL_CHARS, metrics);
    }

    /**
     * @param maxValueChars 64 to 65,536, default {@link #DEFAULT_MAX_VALUE_CHARS}
     * @param maxTotalChars at least {@code maxValueChars}, at most 1,048,576; default {@link #DEFAULT_MAX_TOTAL_CHARS}
     */
    public EventAttributes(int maxValueChars, int maxTotalChars, MeterRegistry metrics) {
        if (maxValueChars < 64 || maxValueChars > 1 << 16) {
            throw new IllegalArgumentException("maxValueChars must be 64-65536: " + maxValueChars);
        }
        if (maxTotalChars < maxValueChars || maxTotalChars > 1 << 20) {
            throw new IllegalArgumentException("maxTotalChars must be " + maxValueChars + "-1048576: " + maxTotalChars);
        }
        this.maxValueChars = maxValueChars;
        this.maxTotalChars = maxTotalChars;
        this.truncated = Counter.builder("argus.agent.events.attributes_truncated")
                .description("events whose attributes were cut to the agent's bounds before publishing").register(metrics);
    }

    public int maxValueChars() {
        return maxValueChars;
    }

    public int maxTotalChars() {
        return maxTotalChars;
    }

    /** {@code e} itself when its attributes are within the bounds, else a copy with them cut. */
    public Event bound(Event e) {
        Map<String, String> in = e.getAttributesMap();
        if (within(in)) {
            return e;
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> a : in.entrySet()) {
            String v = a.getValue();
            out.put(a.getKey(), v.length() > maxValueChars ? cut(v, maxValueChars - MARKER.length(), false) : v);
        }
        fitTotal(out);
        long n = (long) truncated.count();
        truncated.increment();
        if (Long.bitCount(n + 1) == 1) { // the 1st, 2nd, 4th, 8th... time: said, but never a flood
            log.warn("event '{}' of stream '{}' had attributes over the bounds ({} characters a value, {} in all, as JSON); "
                    + "cut ({} time(s) so far)", abbreviate(e.getId()), abbreviate(e.getStreamId()), maxValueChars,
                    maxTotalChars, n + 1);
        }
        return e.toBuilder().clearAttributes().putAllAttributes(out).build();
    }

    /**
     * Cuts the longest values of {@code m} to one common length, the longest at which the map fits
     * {@link #maxTotalChars()} as JSON, so that short values (ids, boxes, counts) stay whole. Only
     * when even the marker alone does not fit for every value are attributes dropped, from the last.
     */
    private void fitTotal(Map<String, String> m) {
        long marker = json(MARKER);
        while (json(m) > maxTotalChars) {
            long budget = maxTotalChars - json(emptied(m)); // what the values may take, as JSON
            long lo = marker;
            long hi = 0;
            for (String v : m.values()) {
                hi = Math.max(hi, json(v));
            }
            if (valuesAt(m, lo) > budget) {
                List<String> keys = new ArrayList<>(m.keySet());
                m.remove(keys.get(keys.size() - 1));
                continue;
            }
            while (lo < hi) { // the largest common length that fits
                long mid = (lo + hi + 1) / 2;
                if (valuesAt(m, mid) <= budget) {
                    lo = mid;
                } else {
                    hi = mid - 1;
                }
            }
            long cap = lo;
            m.replaceAll((k, v) -> json(v) > cap ? cut(v, cap - marker, true) : v);
        }
    }

    /** What the values take as JSON when each is cut to at most {@code cap}. */
    private static long valuesAt(Map<String, String> m, long cap) {
        long n = 0;
        for (String v : m.values()) {
            n += Math.min(json(v), cap);
        }
        return n;
    }

    private static Map<String, String> emptied(Map<String, String> m) {
        Map<String, String> keys = new LinkedHashMap<>();
        m.keySet().forEach(k -> keys.put(k, ""));
        return keys;
    }

    private boolean within(Map<String, String> attributes) {
        for (String v : attributes.values()) {
            if (v.length() > maxValueChars) {
                return false;
            }
        }
        return json(attributes) <= maxTotalChars;
    }

    /**
     * The first characters of {@code v} that take at most {@code budget} (as JSON when {@code asJson},
     * else as characters), then {@link #MARKER}. A surrogate pair is never split.
     */
    private static String cut(String v, long budget, boolean asJson) {
        long used = 0;
        int end = 0;
        while (end < v.length()) {
            long c = asJson ? json(v.charAt(end)) : 1;
            if (used + c > budget) {
                break;
            }
            used += c;
            end++;
        }
        if (end > 0 && Character.isHighSurrogate(v.charAt(end - 1))) {
            end--;
        }
        return v.substring(0, end) + MARKER;
    }

    /** Length of the map as Jackson writes it: {"k":"v","k2":"v2"}. */
    static long json(Map<String, String> m) {
        long n = 2L + Math.max(0, m.size() - 1);
        for (Map.Entry<String, String> a : m.entrySet()) {
            n += json(a.getKey()) + json(a.getValue()) + 5; // two pairs of quotes and a colon
        }
        return n;
    }

    /** Length of a string's contents as JSON (without its quotes). */
    static long json(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            n += json(s.charAt(i));
        }
        return n;
    }

    private static int json(char c) {
        if (c == '"' || c == '\\') {
            return 2;
        }
        if (c < 0x20) {
            return c == '\n' || c == '\t' || c == '\r' || c == '\b' || c == '\f' ? 2 : 6;
        }
        return 1;
    }

    private static String abbreviate(String s) {
        return s.length() > 120 ? s.substring(0, 117) + "..." : s;
    }
}
