package io.argus.cluster;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The precedence of a task's parameters: defaults, then the stream's own, then its central configuration. */
class StreamConfigMergeTest {
    @Test
    void centralConfigurationOverridesTheStreamsOwnParametersKeyByKey() {
        StreamConfig defaults = new StreamConfig(Map.of("people", Map.of("lines", "d:0,0,1,1", "minHeight", "40",
                "hogScale", "1.05")), 1, "t");
        StreamConfig central = new StreamConfig(Map.of("people", Map.of("lines", "c:0,0,2,2")), 2, "t");
        Map<String, String> own = Map.of("lines", "own:0,0,3,3", "minHeight", "60");

        Map<String, String> merged = StreamConfig.merge(defaults, central, "people", own);

        assertThat(merged).containsEntry("lines", "c:0,0,2,2") // the operator's latest word
                .containsEntry("minHeight", "60") // not set centrally: the stream's own
                .containsEntry("hogScale", "1.05"); // set by neither: the default
        assertThat(StreamConfig.merge(defaults, null, "people", own)).containsEntry("lines", "own:0,0,3,3");
        assertThat(StreamConfig.merge(null, central, "color", own)).isEqualTo(own);
    }
}
