package io.argus.agent.record;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.argus.protocol.v1.Event;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventAttributesTest {
    static final ObjectMapper JSON = new ObjectMapper();
    final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    final EventAttributes bounds = new EventAttributes(metrics);

    static Event event(Map<String, String> attributes) {
        return Event.newBuilder().setId("text:gate:watch:1").setType("watch").setStreamId("gate")
                .putAllAttributes(attributes).build();
    }

    double truncations() {
        return metrics.counter("argus.agent.events.attributes_truncated").count();
    }

    static int jsonLength(Event e) throws Exception {
        return JSON.writeValueAsString(e.getAttributesMap()).length();
    }

    @Test
    void anEventWithinTheBoundsIsPassedOnAsItIs() {
        Event e = event(Map.of("text", "AB 123", "pattern", "AB\\s*123", "box", "1,2,3,4"));
        assertThat(bounds.bound(e)).isSameAs(e);
        assertThat(truncations()).isZero();
    }

    /** The incident: a watch pattern over 8 KB in the event's attributes. */
    @Test
    void aLongValueIsCutWithTheMarkerAndTheOthersAreKept() throws Exception {
        Event e = event(Map.of("text", "AB 123", "pattern", "A".repeat(9_000)));
        Event b = bounds.bound(e);
        String pattern = b.getAttributesMap().get("pattern");
        assertThat(pattern).hasSize(EventAttributes.DEFAULT_MAX_VALUE_CHARS).endsWith(EventAttributes.MARKER)
                .startsWith("AAAA");
        assertThat(b.getAttributesMap().get("text")).isEqualTo("AB 123");
        assertThat(b.getId()).isEqualTo(e.getId());
        assertThat(jsonLength(b)).isLessThanOrEqualTo(EventAttributes.DEFAULT_MAX_TOTAL_CHARS);
        assertThat(truncations()).isEqualTo(1);
    }

    @Test
    void manyValuesAreCutUntilTheMapAsJsonFitsTheTotal() throws Exception {
        Map<String, String> many = new LinkedHashMap<>();
        for (int i = 0; i < 10; i++) {
            many.put("k" + i, Character.toString('a' + i).repeat(1_000));
        }
        Event b = bounds.bound(event(many));
        assertThat(jsonLength(b)).isLessThanOrEqualTo(EventAttributes.DEFAULT_MAX_TOTAL_CHARS).isGreaterThan(3_000);
        assertThat(b.getAttributesMap()).containsOnlyKeys(many.keySet());
        assertThat(truncations()).isEqualTo(1);
    }

    /** Escaping makes a value longer as JSON (a control character six times): the total is what the store holds. */
    @Test
    void theTotalIsMeasuredAsTheJsonTheStoreKeeps() throws Exception {
        String nasty = "\u0001\"\\\n".repeat(250); // 1,000 characters, 3,500 as JSON
        Event b = bounds.bound(event(Map.of("a", nasty, "b", nasty, "c", nasty)));
        assertThat(jsonLength(b)).isLessThanOrEqualTo(EventAttributes.DEFAULT_MAX_TOTAL_CHARS);
        assertThat(EventAttributes.json(b.getAttributesMap())).isEqualTo(jsonLength(b));
        assertThat(b.getAttributesMap().values()).allSatisfy(v -> assertThat(v).startsWith("\u0001\"\\\n"));
    }

    @Test
    void aSurrogatePairIsNeverSplit() {
        String emoji = "\uD83D\uDE00"; // one character outside the BMP, two chars in Java
        Event b = bounds.bound(event(Map.of("text", "x" + emoji.repeat(2_000))));
        String v = b.getAttributesMap().get("text");
        String kept = v.substring(0, v.length() - EventAttributes.MARKER.length());
        assertThat(Character.isHighSurrogate(kept.charAt(kept.length() - 1))).isFalse();
        assertThat(kept.codePoints().skip(1)).allMatch(cp -> cp == 0x1F600);
    }

    @Test
    void boundsAreRangeChecked() {
        assertThatThrownBy(() -> new EventAttributes(10, 4_096, metrics)).hasMessageContaining("maxValueChars");
        assertThatThrownBy(() -> new EventAttributes(1_024, 512, metrics)).hasMessageContaining("maxTotalChars");
    }
}
