package io.argus.agent.task;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** How an event of a frame is dated ({@code FrameRequest.recorded_at_us}). */
class TaskContextTest {
    static final long CAPTURE = 1_800_000_000_000_000L;
    static final long START = 1_765_058_400_000_000L; // 2025-12-06T22:00:00Z

    private static TaskContext frame(long mediaUs, long recordedAtUs) {
        // dating looks at neither the picture nor the state
        return new TaskContext("s", 0, 0, CAPTURE, null, Map.of(), null).withMediaTime(mediaUs).withRecordedAt(recordedAtUs);
    }

    @Test
    void aRecordedFrameIsDatedTheRecordingsStartPlusItsPresentationTime() {
        // media time is sent as presentation time + 1 (0 means none): frame 12 of a 10 frames/s file
        assertThat(frame(1_200_001, START).eventTimeUs()).isEqualTo(START + 1_200_000);
        assertThat(frame(1, START).eventTimeUs()).isEqualTo(START);
    }

    @Test
    void withoutAStartOrAMediaTimeItIsDatedByCaptureTime() {
        assertThat(frame(1_200_001, 0).eventTimeUs()).isEqualTo(CAPTURE);
        assertThat(frame(0, START).eventTimeUs()).isEqualTo(CAPTURE);
        assertThat(frame(1_200_001, -5).eventTimeUs()).isEqualTo(CAPTURE);
    }

    @Test
    void aStartThatWouldOverflowIsNotUsed() {
        assertThat(frame(Long.MAX_VALUE, START).eventTimeUs()).isEqualTo(CAPTURE);
    }
}
