package io.argus.coordinator.store;

import com.google.protobuf.ByteString;
import io.argus.coordinator.store.EventStore.CountKind;
import io.argus.protocol.v1.Event;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every {@link EventStore} must do, run against the embedded H2 store and a real PostgreSQL
 * server by its subclasses: idempotent writes that say which events were new, aggregates that
 * always agree with the events (checked against counting the events one by one, over ranges that
 * do not start or end on a minute), checkpoints ordered by run, epoch and sequence, thumbnails, and
 * retention by age and size that removes what it should and nothing else.
 */
abstract class EventStoreContract {
    static final long MINUTE_US = 60_000_000L;

    /** A new, empty store with these settings (the fixture's location). */
    abstract JdbcEventStore open(StoreSettings settings) throws Exception;

    /** A fake clock, moved by the retention tests. */
    static final class MovableClock extends Clock {
        private Instant now = Instant.parse("2026-06-01T00:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }
    }

    static Event crossing(String stream, String line, String dir, int i, long timeUs, int thumbBytes) {
        Event.Builder b = Event.newBuilder().setId("people:" + stream + ":crossing:" + line + ":" + i).setType("crossing")
                .setStreamId(stream).setSourceIndex(i).setTimeUs(timeUs).putAttributes("line", line)
                .putAttributes("direction", dir).putAttributes("track", Integer.toString(i));
        if (thumbBytes > 0) {
            byte[] jpeg = new byte[thumbBytes];
            new Random(i).nextBytes(jpeg);
            b.setThumbnailJpeg(ByteString.copyFrom(jpeg));
        }
        return b.build();
    }

    static Event zone(String stream, String zone, boolean enter, int i, long timeUs) {
        return Event.newBuilder().setId("people:" + stream + ":" + (enter ? "zone_enter" : "zone_exit") + ":" + zone + ":" + i)
                .setType(enter ? "zone_enter" : "zone_exit").setStreamId(stream).setSourceIndex(i).setTimeUs(timeUs)
                .putAttributes("zone", zone).putAttributes("track", Integer.toString(i)).build();
    }

    /** 2,000 crossings and zone changes over about 40 minutes at irregular times. */
    static List<Event> mixed(String stream) {
        Random r = new Random(42);
        List<Event> out = new ArrayList<>();
        long t = 1_780_000_000_000_000L + 17_000_000L; // not on a minute
        for (int i = 0; i < 2_000; i++) {
            t += r.nextInt(2_400_000);
            out.add(i % 4 == 3 ? zone(stream, r.nextBoolean() ? "queue" : "till", r.nextBoolean(), i, t)
                    : crossing(stream, r.nextBoolean() ? "door" : "gate", r.nextBoolean() ? "in" : "out", i, t, i % 10 == 0 ? 300 : 0));
        }
        return out;
    }

    /** The counts, one event at a time: what the aggregates must equal. */
    static Map<Long, Map<String, Long>> bruteForce(List<Event> events, CountKind kind, long from, long to, long bucket) {
        Map<Long, Map<String, Long>> out = new TreeMap<>();
        for (Event e : events) {
            Aggregate a = Aggregate.of(e);
            if (a == null || !a.kind().equals(kind == CountKind.LINE ? Aggregate.LINE : Aggregate.ZONE)
                    || e.getTimeUs() < from || e.getTimeUs() >= to) {
                continue;
            }
            out.computeIfAbsent(Math.floorDiv(e.getTimeUs(), bucket) * bucket, k -> new TreeMap<>())
                    .merge(a.name() + "." + a.direction(), 1L, Long::sum);
        }
        return out;
    }

    static Map<String, Long> sum(Map<Long, Map<String, Long>> buckets) {
        Map<String, Long> out = new TreeMap<>();
        buckets.values().forEach(m -> m.forEach((k, v) -> out.merge(k, v, Long::sum)));
        return out;
    }

    @Test
    void writesAreIdempotentByIdAndSayWhichEventsWereNew() throws Exception {
        List<Event> events = mixed("door");
        try (JdbcEventStore s = open(StoreSettings.DEFAULT)) {
            assertThat(s.recordNew(events.subList(0, 1_200))).containsExactlyElementsOf(events.subList(0, 1_200));
            // a resend overlapping what was stored, as after a lost acknowledgement, shuffled
            List<Event> again = new ArrayList<>(events.subList(800, 2_000));
            Collections.shuffle(again, new Random(1));
            List<Event> fresh = s.recordNew(again);
            assertThat(fresh).containsExactlyInAnyOrderElementsOf(events.subList(1_200, 2_000));
            assertThat(s.record(events)).isZero();
            assertThat(s.eventCount()).isEqualTo(2_000);
            Event withThumb = events.get(10);
            assertThat(s.thumbnail(withThumb.getId())).hasValueSatisfying(
                    b -> assertThat(b).isEqualTo(withThumb.getThumbnailJpeg().toByteArray()));
            assertThat(s.thumbnail(events.get(11).getId())).isEmpty();
        }
    }

    @Test
    void countsAndTotalsAgreeWithTheEventsOverAnyRange() throws Exception {
        List<Event> events = mixed("door");
        try (JdbcEventStore s = open(StoreSettings.DEFAULT)) {
            s.record(events);
            s.record(events.subList(0, 500)); // a resend must not count twice
            long first = events.get(0).getTimeUs();
            long last = events.get(events.size() - 1).getTimeUs();
            for (CountKind kind : CountKind.values()) {
                assertThat(s.totals("door", kind)).isEqualTo(sum(bruteForce(events, kind, Long.MIN_VALUE, Long.MAX_VALUE, MINUTE_US)));
                // ranges that start and end inside minutes, buckets of whole minutes and of less than one
                long[][] ranges = {{first, last + 1}, {first + 7_777_777, last - 13_000_001}, {first + 1, first + 50_000_000},
                        {Math.floorDiv(first, MINUTE_US) * MINUTE_US + 5 * MINUTE_US, Math.floorDiv(first, MINUTE_US) * MINUTE_US + 17 * MINUTE_US}};
                for (long[] r : ranges) {
                    for (long bucket : new long[] {MINUTE_US, 5 * MINUTE_US, 60 * MINUTE_US, 30_000_000L}) {
                        assertThat(s.counts("door", kind, r[0], r[1], bucket))
                                .as("%s over [%d, %d) in buckets of %d us", kind, r[0], r[1], bucket)
                                .isEqualTo(bruteForce(events, kind, r[0], r[1], bucket));
                    }
                }
            }
            assertThat(s.totals("door")).containsKeys("door.in", "door.out", "gate.in", "gate.out");
            assertThat(s.totals("door", CountKind.ZONE)).containsKeys("queue.enter", "queue.exit", "till.enter", "till.exit");
            assertThat(s.totals("elsewhere")).isEmpty();
        }
    }

    @Test
    void aLateCheckpointNeverReplacesANewerOne() throws Exception {
        try (JdbcEventStore s = open(StoreSettings.DEFAULT)) {
            s.saveState("cam", new byte[] {1}, 7, 500, 100, 1_000, "a");
            s.saveState("cam", new byte[] {2}, 7, 900, 101, 2_000, "b"); // the successor, newer epoch
            s.saveState("cam", new byte[] {3}, 7, 500, 180, 3_000, "a"); // the woken agent, further on: fenced
            assertThat(s.state("cam")).hasValueSatisfying(b -> assertThat(b).containsExactly(2));
            s.saveState("cam", new byte[] {4}, 7, 900, 150, 4_000, "b");
            s.saveState("cam", new byte[] {5}, 7, 900, 140, 5_000, "b"); // lower sequence, later: loses
            assertThat(s.state("cam")).hasValueSatisfying(b -> assertThat(b).containsExactly(4));
            s.saveState("cam", new byte[] {6}, 8, 1, 2, 6_000, "c"); // a new run wins
            assertThat(s.state("cam")).hasValueSatisfying(b -> assertThat(b).containsExactly(6));
        }
    }

    /**
     * Events age by when they were stored: after 31 days the first batch's thumbnails go (30 days)
     * but its events stay, and the second batch, just stored, keeps its thumbnails; after 91 days
     * the first batch's events go (90 days), the second's, 60 days old, stay without their
     * thumbnails. The totals never go down.
     */
    @Test
    void retentionByAgeRemovesWhatItShouldAndNothingElse() throws Exception {
        MovableClock clock = new MovableClock();
        try (JdbcEventStore s = open(StoreSettings.builder().clock(clock).build())) {
            List<Event> a = new ArrayList<>();
            List<Event> b = new ArrayList<>();
            long t = clock.millis() * 1000;
            for (int i = 0; i < 300; i++) {
                a.add(crossing("door", "door", i % 2 == 0 ? "in" : "out", i, t + i * 1_000_000L, 200));
                b.add(crossing("door", "door", i % 2 == 0 ? "in" : "out", 1_000 + i, t + (1_000 + i) * 1_000_000L, 200));
            }
            s.record(a);
            Map<String, Long> totalsBefore;
            clock.advance(Duration.ofDays(31));
            s.record(b);
            totalsBefore = s.totals("door");
            assertThat(s.enforceRetention(clock.millis())).isEqualTo(new Retention.Report(0, 300, 0));
            assertThat(s.thumbnail(a.get(5).getId())).isEmpty();
            assertThat(s.thumbnail(b.get(5).getId())).isPresent();
            assertThat(s.eventCount()).isEqualTo(600);
            assertThat(s.events("door", null, null, null, 1_000)).filteredOn(e -> e.id().equals(a.get(5).getId()))
                    .singleElement().satisfies(e -> assertThat(e.hasThumbnail()).isFalse());

            clock.advance(Duration.ofDays(60)); // a: 91 days, b: 60
            assertThat(s.enforceRetention(clock.millis())).isEqualTo(new Retention.Report(300, 300, 0));
            assertThat(s.events("door", null, null, null, 1_000)).extracting(EventStore.StoredEvent::id)
                    .containsExactlyElementsOf(b.stream().map(Event::getId).toList());
            assertThat(s.thumbnail(b.get(299).getId())).isEmpty();
            assertThat(s.totals("door")).isEqualTo(totalsBefore);
            assertThat(s.enforceRetention(clock.millis())).isEqualTo(Retention.Report.NONE);
        }
    }

    /** Past maxEvents the oldest events go first; past maxThumbnailBytes the oldest thumbnails. */
    @Test
    void retentionBySizeRemovesTheOldestFirst() throws Exception {
        MovableClock clock = new MovableClock();
        RetentionSettings retention = RetentionSettings.builder().maxEvents(1_000).maxThumbnailBytes(1024 * 1024)
                .batchRows(100).build();
        try (JdbcEventStore s = open(StoreSettings.builder().clock(clock).retention(retention).build())) {
            List<Event> all = new ArrayList<>();
            long t = clock.millis() * 1000;
            for (int i = 0; i < 1_250; i++) {
                all.add(crossing("door", "door", "in", i, t + i * 1_000_000L, 4_096)); // 5 MiB of thumbnails
            }
            for (int i = 0; i < all.size(); i += 50) {
                s.record(all.subList(i, i + 50));
                clock.advance(Duration.ofSeconds(1)); // stored in order, a second apart per batch
            }
            Retention.Report r = s.enforceRetention(clock.millis());
            assertThat(r.events()).isEqualTo(250);
            assertThat(s.eventCount()).isEqualTo(1_000);
            assertThat(s.events("door", null, null, null, 2_000).get(0).id()).isEqualTo(all.get(250).getId());
            // 1,000 thumbnails of 4 KiB left: 4,000 KiB, of which 1 MiB (256) may stay, the newest
            assertThat(r.thumbnails()).isEqualTo(744);
            assertThat(s.thumbnail(all.get(993).getId())).isEmpty();
            assertThat(s.thumbnail(all.get(994).getId())).isPresent();
            assertThat(s.thumbnail(all.get(1_249).getId())).isPresent();
            assertThat(s.totals("door")).containsEntry("door.in", 1_250L);
        }
    }

    /**
     * Per-minute counts older than their limit go (by the minute's own time), and with them what
     * {@code counts} says of that minute; the totals stay.
     */
    @Test
    void oldMinuteCountsGoAndTotalsStay() throws Exception {
        MovableClock clock = new MovableClock();
        try (JdbcEventStore s = open(StoreSettings.builder().clock(clock).build())) {
            long now = clock.millis() * 1000;
            long old = now - Duration.ofDays(401).toMillis() * 1000;
            s.record(List.of(crossing("door", "door", "in", 1, old, 0), crossing("door", "door", "in", 2, now, 0)));
            assertThat(s.enforceRetention(clock.millis())).isEqualTo(new Retention.Report(0, 0, 1));
            assertThat(sum(s.counts("door", CountKind.LINE, 0, Long.MAX_VALUE / 2, MINUTE_US)))
                    .containsEntry("door.in", 1L); // its event is still stored (90 days, by storage time)
            assertThat(s.eventCount()).isEqualTo(2);
            assertThat(s.totals("door")).containsEntry("door.in", 2L);
        }
    }
}
