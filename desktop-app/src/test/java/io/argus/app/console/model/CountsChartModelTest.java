package io.argus.app.console.model;

import io.argus.cluster.api.CoordinatorApi;
import io.argus.cluster.embedded.EmbeddedZooKeeper;
import io.argus.coordinator.Coordinator;
import io.argus.coordinator.CoordinatorConfig;
import io.argus.protocol.v1.Event;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Detail's counts chart model against a real coordinator over HTTP: counts recorded at known times
 * come back in their buckets for every range (10 s, 1 min, 15 min), every other bucket 0; an answer
 * for a range no longer shown is dropped; reads repeat on the range's schedule, one at a time; and
 * without a coordinator, or when it does not answer, the console's own events are charted and the
 * title says so. The clock is fake (fixed at a known time of yesterday); the JavaFX thread is played
 * by the test, which runs the model's UI tasks itself, in order.
 */
class CountsChartModelTest {
    static final long SECOND = 1000;
    static final long MINUTE = 60 * SECOND;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;
    /** Yesterday 12:07:33.250 UTC: clear of every bucket edge the counts below sit near. */
    static final long NOW = System.currentTimeMillis() / DAY * DAY - DAY + 12 * HOUR + 7 * MINUTE + 33_250;

    static EmbeddedZooKeeper zk;
    static Coordinator coordinator;
    static String base;

    final LinkedBlockingQueue<Runnable> ui = new LinkedBlockingQueue<>();
    final AtomicLong clock = new AtomicLong(NOW);

    @BeforeAll
    static void start() throws Exception {
        Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "counts-chart");
        zk = EmbeddedZooKeeper.start();
        coordinator = Coordinator.start(CoordinatorConfig.builder().id("chart").zkConnect(zk.connectString())
                .httpPort(0).dataDir(dir.resolve("store")).minFreeDiskBytes(0).build());
        base = "http://127.0.0.1:" + coordinator.httpPort();
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            events.add(CountsHistoryTest.crossing("in-" + i, us(NOW - 65 * SECOND + i), "in")); // 12:06:28
        }
        events.add(CountsHistoryTest.zone("enter-0", "zone_enter", us(NOW - 64 * SECOND))); // 12:06:29
        for (int i = 0; i < 3; i++) {
            events.add(CountsHistoryTest.crossing("out-" + i, us(NOW - 20 * MINUTE + i), "out")); // 11:47:33
        }
        for (int i = 0; i < 4; i++) {
            events.add(CountsHistoryTest.zone("exit-" + i, "zone_exit", us(NOW - 5 * HOUR + i))); // 07:07:33
        }
        events.add(CountsHistoryTest.crossing("in-old", us(NOW - 2 * DAY), "in")); // in the totals only
        assertThat(coordinator.store().record(events)).isEqualTo(events.size());
    }

    @AfterAll
    static void stop() throws Exception {
        coordinator.close();
        zk.close();
    }

    static long us(long ms) {
        return ms * 1000;
    }

    static long bucket(long ms, CountsRange r) {
        return Math.floorDiv(ms, r.bucketMs()) * r.bucketMs();
    }

    CountsChartModel model(Optional<String> coordinatorBase) {
        return new CountsChartModel(CoordinatorApi.builder().build(), () -> coordinatorBase, ui::add, clock::get);
    }

    /** Runs the model's UI tasks, as the JavaFX thread would, until {@code done} holds. */
    void runUiUntil(BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!done.getAsBoolean()) {
            Runnable r = ui.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            assertThat(r).as("a UI task before the deadline").isNotNull();
            r.run();
        }
    }

    /** A series per name, a point per bucket of {@code r}'s window at {@link #NOW}, 0 but for {@code counts}. */
    static List<CountsChartModel.Series> expected(CountsRange r, Map<String, Map<Long, Long>> counts) {
        List<CountsChartModel.Series> out = new ArrayList<>();
        counts.forEach((name, c) -> {
            List<CountsChartModel.Point> points = new ArrayList<>();
            for (long b = r.startMs(NOW); b < r.endMs(NOW); b += r.bucketMs()) {
                points.add(new CountsChartModel.Point(b, c.getOrDefault(b, 0L)));
            }
            out.add(new CountsChartModel.Series(name, points));
        });
        return out;
    }

    static Map<String, Map<Long, Long>> counts(CountsRange r) {
        long recent = NOW - 65 * SECOND;
        Map<String, Map<Long, Long>> c = new LinkedHashMap<>();
        c.put("door in", Map.of(bucket(recent, r), 2L));
        c.put("door out", r == CountsRange.LAST_5_MIN ? Map.of() : Map.of(bucket(NOW - 20 * MINUTE, r), 3L));
        c.put("hall enter", Map.of(bucket(recent + SECOND, r), 1L));
        c.put("hall exit", r == CountsRange.LAST_DAY ? Map.of(bucket(NOW - 5 * HOUR, r), 4L) : Map.of());
        return c;
    }

    @Test
    void everyRangeHoldsTheRecordedCountsInTheirBuckets() throws Exception {
        try (CountsChartModel m = model(Optional.of(base))) {
            m.show("door", List.of(), () -> "");
            for (CountsRange r : List.of(CountsRange.LAST_HOUR, CountsRange.LAST_5_MIN, CountsRange.LAST_DAY)) {
                m.setRange(r);
                runUiUntil(() -> !m.series().isEmpty());
                assertThat(m.series()).as(r.label()).isEqualTo(expected(r, counts(r)));
                assertThat(m.series().get(0).points()).hasSize((int) (r.rangeMs() / r.bucketMs()));
                assertThat(m.startMsProperty().get()).isEqualTo(r.startMs(NOW));
                assertThat(m.fromCoordinatorProperty().get()).isTrue();
                assertThat(m.titleProperty().get()).isEqualTo("counts per " + r.bucketLabel() + ", " + r.label()
                        + ", from the coordinator's history");
                assertThat(m.totalsProperty().get())
                        .isEqualTo("all-time totals (coordinator): door in 3, door out 3, hall enter 1, hall exit 4");
            }
            // the buckets the ranges use: 30, 60 and 96 points
            assertThat(List.of(CountsRange.values()).stream().map(r -> r.rangeMs() / r.bucketMs()).toList())
                    .containsExactly(30L, 60L, 96L);
        }
    }

    @Test
    void anAnswerForARangeNoLongerShownIsDropped() throws Exception {
        try (CountsChartModel m = model(Optional.of(base))) {
            m.show("door", List.of(), () -> ""); // the hour, read at once
            m.setRange(CountsRange.LAST_DAY); // before the hour's answer is in
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (ui.size() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(ui).hasSize(2);
            ui.remove().run(); // the hour's answer
            assertThat(m.series()).as("the hour's counts under the day's title").isEmpty();
            assertThat(m.fromCoordinatorProperty().get()).isFalse();
            ui.remove().run();
            assertThat(m.series()).isEqualTo(expected(CountsRange.LAST_DAY, counts(CountsRange.LAST_DAY)));
            // another stream: what the coordinator has of it (nothing), not door's
            m.show("elsewhere", List.of(), () -> "");
            runUiUntil(() -> m.titleProperty().get().endsWith("from the coordinator's history"));
            assertThat(m.series()).isEmpty();
            assertThat(m.totalsProperty().get()).isEqualTo("all-time totals (coordinator): none");
        }
    }

    @Test
    void readsRepeatOnTheRangesScheduleOneAtATime() throws Exception {
        try (CountsChartModel m = model(Optional.of(base))) {
            m.show("late", List.of(), () -> ""); // the hour: every 15 s
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (ui.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            clock.addAndGet(CountsRange.LAST_HOUR.refreshMs());
            m.pulse(); // due, but the first read has not been taken in yet: no second one
            Thread.sleep(500);
            assertThat(ui).hasSize(1);
            runUiUntil(() -> m.titleProperty().get().endsWith("from the coordinator's history"));
            assertThat(m.series()).isEmpty(); // nothing recorded for "late" yet
            long at = clock.get() - 5 * SECOND;
            Event late = CountsHistoryTest.crossing("late-1", us(at), "in").toBuilder().setStreamId("late").build();
            assertThat(coordinator.store().record(List.of(late))).isEqualTo(1);
            clock.addAndGet(CountsRange.LAST_HOUR.refreshMs() - 1);
            m.pulse(); // not due yet
            Thread.sleep(500);
            assertThat(ui).isEmpty();
            clock.addAndGet(1);
            m.pulse();
            runUiUntil(() -> !m.series().isEmpty());
            assertThat(m.series()).hasSize(1);
            assertThat(m.find("door in").orElseThrow().points())
                    .filteredOn(p -> p.count() > 0)
                    .containsExactly(new CountsChartModel.Point(bucket(at, CountsRange.LAST_HOUR), 1));
            assertThat(m.totalsProperty().get()).isEqualTo("all-time totals (coordinator): door in 1");
        }
    }

    @Test
    void withoutACoordinatorTheConsolesOwnEventsAreChartedAndTheTitleSaysSo() throws Exception {
        List<Event> held = new ArrayList<>();
        held.add(CountsHistoryTest.crossing("a", us(NOW - 30 * SECOND), "in"));
        held.add(CountsHistoryTest.crossing("b", us(NOW - 31 * SECOND), "in"));
        held.add(CountsHistoryTest.zone("c", "zone_exit", us(NOW - 3 * MINUTE)));
        held.add(CountsHistoryTest.crossing("d", us(NOW - 10 * MINUTE), "out")); // before the 5 minutes
        held.add(Event.newBuilder().setId("t").setType("text").setStreamId("door").setTimeUs(us(NOW)).build());
        try (CountsChartModel m = model(Optional.empty())) {
            m.setRange(CountsRange.LAST_5_MIN);
            m.show("door", held, () -> "door: in 2 out 1");
            CountsRange r = CountsRange.LAST_5_MIN;
            Map<String, Map<Long, Long>> c = new LinkedHashMap<>();
            c.put("door in", Map.of(bucket(NOW - 30 * SECOND, r), 2L)); // 12:07:02 and 12:07:03, one bucket
            c.put("door out", Map.of());
            c.put("hall exit", Map.of(bucket(NOW - 3 * MINUTE, r), 1L));
            assertThat(m.series()).isEqualTo(expected(r, c));
            assertThat(m.fromCoordinatorProperty().get()).isFalse();
            assertThat(m.titleProperty().get()).isEqualTo("counts per 10 s, last 5 min: no coordinator, so this "
                    + "console's own live events (those it still holds)");
            assertThat(m.totalsProperty().get()).isEqualTo("totals since this console opened the stream: door: in 2 out 1");
            // the hour takes in the earlier crossing, in its minute
            m.setRange(CountsRange.LAST_HOUR);
            assertThat(m.find("door out").orElseThrow().points())
                    .contains(new CountsChartModel.Point(bucket(NOW - 10 * MINUTE, CountsRange.LAST_HOUR), 1));
            assertThat(ui).isEmpty();
        }
        // a coordinator that does not answer (nothing listens on its port): the same, with the reason
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        try (CountsChartModel m = model(Optional.of("http://127.0.0.1:" + closed))) {
            m.show("door", held, () -> "door: in 2 out 1");
            runUiUntil(() -> !m.series().isEmpty());
            assertThat(m.titleProperty().get()).startsWith("counts per 1 min, last hour: the coordinator did not answer (")
                    .endsWith("), so this console's own live events (those it still holds)");
            assertThat(m.find("door in").orElseThrow().points().stream().mapToLong(CountsChartModel.Point::count).sum())
                    .isEqualTo(2);
        }
    }
}
