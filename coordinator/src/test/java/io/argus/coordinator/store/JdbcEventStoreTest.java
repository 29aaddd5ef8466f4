package io.argus.coordinator.store;

import com.google.protobuf.ByteString;
import io.argus.protocol.v1.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class JdbcEventStoreTest {
    static Event crossing(String stream, String line, String dir, long track, long frame, long timeUs) {
        return Event.newBuilder().setId("crossing:" + stream + ":" + line + ":" + track + ":" + frame).setType("crossing")
                .setStreamId(stream).setSourceIndex(frame).setTimeUs(timeUs).putAttributes("line", line)
                .putAttributes("direction", dir).putAttributes("track", Long.toString(track))
                .setThumbnailJpeg(ByteString.copyFromUtf8("jpeg" + frame)).build();
    }

    @Test
    void writesAreIdempotentAndTotalsSurviveARestart(@TempDir Path dir) {
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            events.add(crossing("door", i % 3 == 0 ? "a" : "b", i % 2 == 0 ? "in" : "out", i, i, 60_000_000L * (i / 100) + i));
        }
        try (JdbcEventStore s = JdbcEventStore.embedded(dir)) {
            assertThat(s.record(events.subList(0, 300))).isEqualTo(300);
            // a resend overlapping what was stored, as after a lost acknowledgement
            assertThat(s.record(events.subList(200, 500))).isEqualTo(200);
            assertThat(s.record(events)).isZero();
            assertThat(s.eventCount()).isEqualTo(500);
        }
        try (JdbcEventStore s = JdbcEventStore.embedded(dir)) {
            Map<String, Long> totals = s.totals("door");
            long sum = totals.values().stream().mapToLong(Long::longValue).sum();
            assertThat(sum).isEqualTo(500);
            long aIn = events.stream().filter(e -> e.getAttributesMap().get("line").equals("a")
                    && e.getAttributesMap().get("direction").equals("in")).count();
            assertThat(totals.get("a.in")).isEqualTo(aIn);
            var buckets = s.counts("door", 0, Long.MAX_VALUE, 60_000_000L);
            assertThat(buckets).hasSize(5);
            assertThat(buckets.values().stream().flatMap(m -> m.values().stream()).mapToLong(Long::longValue).sum())
                    .isEqualTo(500);
            assertThat(s.thumbnail(events.get(7).getId())).hasValueSatisfying(b -> assertThat(new String(b, StandardCharsets.UTF_8)).isEqualTo("jpeg7"));
            assertThat(s.events("door", "crossing", null, null, 10)).hasSize(10);
        }
    }

    @Test
    void onlyTheNewestStateIsKept(@TempDir Path dir) {
        try (JdbcEventStore s = JdbcEventStore.embedded(dir)) {
            s.saveState("cam", new byte[]{2}, 200, "a");
            s.saveState("cam", new byte[]{1}, 100, "b"); // an older checkpoint arriving late
            assertThat(s.state("cam")).hasValueSatisfying(b -> assertThat(b).containsExactly(2));
            s.saveState("cam", new byte[]{3}, 300, "b");
            assertThat(s.state("cam")).hasValueSatisfying(b -> assertThat(b).containsExactly(3));
        }
    }

    /**
     * Checkpoints are ordered by run, then by sequence, not by when they were exported: an agent
     * frozen while its stream moved on elsewhere wakes up and exports its stale state later in
     * time, at a lower sequence; it must not replace the newer checkpoint, or a failover after it
     * would take the counts backwards.
     */
    @Test
    void aLateCheckpointAtALowerSequenceNeverReplacesANewerOne(@TempDir Path dir) {
        try (JdbcEventStore s = JdbcEventStore.embedded(dir)) {
            s.saveState("cam", new byte[]{1}, 7, 100, 1_000, "b");
            s.saveState("cam", new byte[]{2}, 7, 60, 2_000, "a"); // the woken agent: later, but behind
            assertThat(s.state("cam")).hasValueSatisfying(b -> assertThat(b).containsExactly(1));
            s.saveState("cam", new byte[]{3}, 7, 140, 3_000, "b");
            assertThat(s.state("cam")).hasValueSatisfying(b -> assertThat(b).containsExactly(3));
            // a new run of the stream starts over at low sequences, and wins
            s.saveState("cam", new byte[]{4}, 8, 2, 4_000, "c");
            assertThat(s.state("cam")).hasValueSatisfying(b -> assertThat(b).containsExactly(4));
            s.saveState("cam", new byte[]{5}, 7, 900, 5_000, "b"); // the old run, late
            assertThat(s.state("cam")).hasValueSatisfying(b -> assertThat(b).containsExactly(4));
        }
    }

    /**
     * Within a run, a newer ownership epoch wins over a higher sequence: a frozen agent that woke
     * up had run on (its own frames of a live source, say) past where its successor restored; its
     * checkpoint is not the stream's history any more, however far it got.
     */
    @Test
    void aCheckpointOfANewerEpochWinsOverAHigherSequenceOfAnOlderOne(@TempDir Path dir) {
        try (JdbcEventStore s = JdbcEventStore.embedded(dir)) {
            s.saveState("cam", new byte[]{1}, 7, 500, 100, 1_000, "a");
            s.saveState("cam", new byte[]{2}, 7, 900, 101, 2_000, "b"); // the successor, from 100
            s.saveState("cam", new byte[]{3}, 7, 500, 180, 3_000, "a"); // the woken agent, further on
            assertThat(s.state("cam")).hasValueSatisfying(b -> assertThat(b).containsExactly(2));
            s.saveState("cam", new byte[]{4}, 7, 900, 150, 4_000, "b");
            assertThat(s.state("cam")).hasValueSatisfying(b -> assertThat(b).containsExactly(4));
        }
    }

    static Event watch(String stream, int i, String pattern) {
        return Event.newBuilder().setId("text:" + stream + ":watch:" + i).setType("watch").setStreamId(stream)
                .setSourceIndex(i).setTimeUs(1_000L * i).putAttributes("text", "AB 123").putAttributes("pattern", pattern)
                .build();
    }

    /**
     * The incident: a watch pattern over 8 KB went into an event whose attributes overflow the
     * VARCHAR(8192) column. The batch failed as a whole, was sent again forever, and every later
     * event of the agent waited behind it. Now the one event is dead-lettered (kept whole, counted
     * once however often the batch is resent) and the others are stored.
     */
    @Test
    void anEventThatDoesNotFitIsDeadLetteredAndTheRestOfItsBatchIsStored(@TempDir Path dir) throws Exception {
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        Event oversized = watch("gate", 2, "A".repeat(9_000));
        List<Event> batch = List.of(watch("gate", 0, "AB"), watch("gate", 1, "CD"), oversized, watch("gate", 3, "EF"),
                watch("x".repeat(EventColumns.STREAM + 1), 4, "GH"));
        try (JdbcEventStore s = JdbcEventStore.embedded(dir, metrics)) {
            assertThat(s.record(batch)).isEqualTo(3);
            assertThat(s.eventCount()).isEqualTo(3);
            assertThat(s.deadLettered()).isEqualTo(2);
            assertThat(metrics.counter("argus.events.dead_lettered").count()).isEqualTo(2);
            // the batch again, as when its acknowledgement was lost: nothing new anywhere
            assertThat(s.record(batch)).isZero();
            assertThat(s.deadLettered()).isEqualTo(2);
            assertThat(metrics.counter("argus.events.dead_lettered").count()).isEqualTo(2);
            // later events of the same agent are not held back
            assertThat(s.record(List.of(watch("gate", 5, "IJ")))).isEqualTo(1);
            assertThat(s.events("gate", "watch", null, null, 10)).extracting(EventStore.StoredEvent::id)
                    .containsExactly("text:gate:watch:0", "text:gate:watch:1", "text:gate:watch:3", "text:gate:watch:5");
        }
        // the dead letter is the whole event, with why it was refused
        try (Connection c = DriverManager.getConnection("jdbc:h2:" + dir.toAbsolutePath().resolve("argus"), "argus", "");
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT event, reason FROM dead_letters WHERE event_id = 'text:gate:watch:2'")) {
            assertThat(rs.next()).isTrue();
            assertThat(Event.parseFrom(rs.getBytes(1))).isEqualTo(oversized);
            assertThat(rs.getString(2)).contains("attributes (as JSON) is", "the column holds 8192");
        }
    }

    /** A store made before dead letters existed gains the table when it is opened. */
    @Test
    void aStoreMadeBeforeDeadLettersGainsTheTable(@TempDir Path dir) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:h2:" + dir.toAbsolutePath().resolve("argus"), "argus", "");
             Statement st = c.createStatement()) {
            st.execute("CREATE TABLE events (id VARCHAR(512) PRIMARY KEY, type VARCHAR(64) NOT NULL, "
                    + "stream VARCHAR(128) NOT NULL, frame BIGINT, time_us BIGINT NOT NULL, line VARCHAR(128), "
                    + "direction VARCHAR(16), attributes VARCHAR(8192), thumbnail BOOLEAN, recorded_ms BIGINT)");
            st.execute("INSERT INTO events VALUES ('old', 'text', 'gate', 0, 1, NULL, NULL, '{}', FALSE, 0)");
        }
        try (JdbcEventStore s = JdbcEventStore.embedded(dir)) {
            assertThat(s.eventCount()).isEqualTo(1);
            assertThat(s.record(List.of(watch("gate", 9, "Z".repeat(9_000))))).isZero();
            assertThat(s.deadLettered()).isEqualTo(1);
        }
    }
}
