package io.argus.coordinator.ingest;

import io.argus.protocol.v1.Event;
import io.argus.protocol.v1.EventBatch;
import io.argus.protocol.v1.StreamTotals;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class EpochFenceTest {
    /** cam moved from epoch 100 to 200; door never had an assignment. */
    final EpochFence fence = new EpochFence(s -> Map.of("cam", 200L).getOrDefault(s, 0L));

    @Test
    void dropsEventsAndCheckpointsOfAnOlderEpochAndKeepsTheRest() {
        EventBatch b = EventBatch.newBuilder()
                .addEvents(Event.newBuilder().setId("cam/old").setStreamId("cam").setEpoch(100))
                .addEvents(Event.newBuilder().setId("cam/current").setStreamId("cam").setEpoch(200))
                .addEvents(Event.newBuilder().setId("cam/unknown").setStreamId("cam").setEpoch(0))
                .addEvents(Event.newBuilder().setId("door/any").setStreamId("door").setEpoch(7))
                .addTotals(StreamTotals.newBuilder().setStreamId("cam").setEpoch(100))
                .addTotals(StreamTotals.newBuilder().setStreamId("cam").setEpoch(300))
                .build();
        EpochFence.Admitted in = fence.admit(b);
        assertThat(in.events()).extracting(Event::getId).containsExactly("cam/current", "cam/unknown", "door/any");
        assertThat(in.totals()).extracting(StreamTotals::getEpoch).containsExactly(300L);
        assertThat(in.fencedEvents()).isEqualTo(1);
        assertThat(in.fencedTotals()).isEqualTo(1);
    }

    @Test
    void aReplaySegmentsEventsAreFencedByTheSegmentsAssignmentNotTheRecordingsName() {
        // night has no assignment (a recording's name); its segment cam moved to epoch 200
        EventBatch b = EventBatch.newBuilder()
                .addEvents(Event.newBuilder().setId("cam/zombie").setStreamId("night").setEpochStreamId("cam").setEpoch(100))
                .addEvents(Event.newBuilder().setId("cam/owner").setStreamId("night").setEpochStreamId("cam").setEpoch(200))
                .build();
        EpochFence.Admitted in = fence.admit(b);
        assertThat(in.events()).extracting(Event::getId).containsExactly("cam/owner");
        assertThat(in.fencedEvents()).isEqualTo(1);
    }
}
