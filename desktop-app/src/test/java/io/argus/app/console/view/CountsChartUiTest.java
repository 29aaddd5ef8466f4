package io.argus.app.console.view;

import io.argus.app.console.model.ConsoleModel;
import io.argus.app.console.model.StreamViewModel;
import io.argus.protocol.v1.Event;
import io.argus.testing.TestAssets;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Label;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Detail's counts chart with a real coordinator, ZooKeeper and agent: the operator opens a stream in
 * Detail and clicks the ranges; the chart's lines (one per line direction and zone entry or exit)
 * hold the counts recorded in the coordinator in their buckets, 60 points of a minute for the hour,
 * 30 of 10 s for five minutes, 96 of 15 minutes for the day. When the coordinator is gone, the
 * chart says it charts the console's own events instead.
 */
class CountsChartUiTest extends FxRobot {
    static final long MINUTE = 60_000;

    static ConsoleCluster cluster;
    static ConsoleModel model;
    static ConsoleWindow window;

    @BeforeAll
    static void start() throws Exception {
        cluster = ConsoleCluster.start("counts-chart-ui");
        model = cluster.model();
        window = cluster.window();
    }

    @AfterAll
    static void stop() throws Exception {
        cluster.close();
    }

    static <T> T fx(Callable<T> c) throws Exception {
        return ConsoleCluster.fx(c);
    }

    static Event event(String id, String type, long timeMs, String key, String value) {
        Event.Builder e = Event.newBuilder().setId(id).setType(type).setStreamId("clip").setTimeUs(timeMs * 1000)
                .putAttributes("track", "1");
        if (type.equals("crossing")) {
            e.putAttributes("line", "door").putAttributes("direction", value);
        } else {
            e.putAttributes(key, value);
        }
        return e.build();
    }

    /** The chart's lines as drawn: name to (bucket start to count), in legend order. */
    static Map<String, Map<Long, Long>> drawn() throws Exception {
        return fx(() -> {
            Map<String, Map<Long, Long>> out = new LinkedHashMap<>();
            for (XYChart.Series<Number, Number> s : window.detail().countsChart().chart().getData()) {
                Map<Long, Long> points = new LinkedHashMap<>();
                for (XYChart.Data<Number, Number> d : s.getData()) {
                    points.put(d.getXValue().longValue(), d.getYValue().longValue());
                }
                out.put(s.getName(), points);
            }
            return out;
        });
    }

    /** The non-zero points of the line {@code name}. */
    static Map<Long, Long> counted(Map<String, Map<Long, Long>> drawn, String name) {
        Map<Long, Long> out = new LinkedHashMap<>();
        drawn.getOrDefault(name, Map.of()).forEach((k, v) -> {
            if (v != 0) {
                out.put(k, v);
            }
        });
        return out;
    }

    static String title() throws Exception {
        return fx(() -> window.detail().countsChart().chart().getTitle());
    }

    static void awaitChart(int points, String range) {
        await().atMost(Duration.ofSeconds(20)).until(() -> title().startsWith("counts per " + range)
                && title().endsWith("from the coordinator's history")
                && drawn().values().stream().allMatch(p -> p.size() == points) && drawn().size() == 4);
    }

    @Test
    void theRangesShowTheCoordinatorsCountsPerBucket() throws Exception {
        long now = System.currentTimeMillis();
        long recent = now - 90_000;
        List<Event> events = new ArrayList<>();
        events.add(event("in-1", "crossing", recent, "", "in"));
        events.add(event("in-2", "crossing", recent + 1, "", "in"));
        events.add(event("enter-1", "zone_enter", recent + 2, "zone", "hall"));
        for (int i = 0; i < 3; i++) {
            events.add(event("out-" + i, "crossing", now - 20 * MINUTE + i, "", "out"));
        }
        for (int i = 0; i < 4; i++) {
            events.add(event("exit-" + i, "zone_exit", now - 300 * MINUTE + i, "zone", "hall"));
        }
        assertThat(cluster.coordinator().store().record(events)).isEqualTo(events.size());
        StreamViewModel vm = fx(() -> model.addSource("clip", TestAssets.vtest().toAbsolutePath().toString(), true,
                List.of("noop"), Map.of()));
        fx(() -> {
            window.showDetail(vm);
            return null;
        });

        // the hour, in minutes: Detail's first range
        awaitChart(60, "1 min, last hour");
        Map<String, Map<Long, Long>> hour = drawn();
        assertThat(hour.keySet()).containsExactly("door in", "door out", "hall enter", "hall exit");
        assertThat(counted(hour, "door in")).isEqualTo(Map.of(recent / MINUTE * MINUTE, 2L));
        assertThat(counted(hour, "door out")).isEqualTo(Map.of((now - 20 * MINUTE) / MINUTE * MINUTE, 3L));
        assertThat(counted(hour, "hall enter")).isEqualTo(Map.of((recent + 2) / MINUTE * MINUTE, 1L));
        assertThat(counted(hour, "hall exit")).as("five hours ago").isEmpty();
        Label totals = fx(() -> (Label) window.tabs().getScene().lookup("#counts-totals"));
        assertThat(fx(totals::getText))
                .isEqualTo("all-time totals (coordinator): door in 2, door out 3, hall enter 1, hall exit 4");

        clickOn("#counts-range-last-5-min");
        awaitChart(30, "10 s, last 5 min");
        Map<String, Map<Long, Long>> five = drawn();
        assertThat(counted(five, "door in")).isEqualTo(Map.of(recent / 10_000 * 10_000, 2L));
        assertThat(counted(five, "hall enter")).isEqualTo(Map.of((recent + 2) / 10_000 * 10_000, 1L));
        assertThat(counted(five, "door out")).as("twenty minutes ago").isEmpty();
        List<Long> starts = new ArrayList<>(five.get("door in").keySet());
        assertThat(starts.get(1) - starts.get(0)).isEqualTo(10_000);

        clickOn("#counts-range-last-day");
        awaitChart(96, "15 min, last day");
        Map<String, Map<Long, Long>> day = drawn();
        long quarter = 15 * MINUTE;
        assertThat(counted(day, "hall exit")).isEqualTo(Map.of((now - 300 * MINUTE) / quarter * quarter, 4L));
        assertThat(counted(day, "door out")).isEqualTo(Map.of((now - 20 * MINUTE) / quarter * quarter, 3L));
        assertThat(counted(day, "door in").values().stream().mapToLong(Long::longValue).sum()).isEqualTo(2);
        cluster.screenshot("detail-counts.png");

        // without its coordinator, the chart says what it charts instead (the console's own events)
        clickOn("#counts-range-last-5-min");
        awaitChart(30, "10 s, last 5 min");
        cluster.closeCoordinator();
        await().atMost(Duration.ofSeconds(30)).until(() -> title().equals("counts per 10 s, last 5 min: no coordinator,"
                + " so this console's own live events (those it still holds)"));
        assertThat(fx(totals::getText)).startsWith("totals since this console opened the stream: ");
        assertThat(drawn()).as("noop reports no crossings").isEmpty();
    }
}
