package io.argus.app.console.model;

import io.argus.cluster.api.CoordinatorApi;
import io.argus.coordinator.Coordinator;
import io.argus.coordinator.CoordinatorConfig;
import io.argus.protocol.v1.Event;
import io.argus.cluster.embedded.EmbeddedZooKeeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Export CSV's history against a real coordinator over HTTP: counts stored three weeks apart (so
 * the walk back has to cross empty weeks) come back per minute, each in its own minute, adding up
 * to the coordinator's all-time totals, and the CSV has one column per line direction and zone
 * figure.
 */
class CountsHistoryTest {
    static final long MINUTE_US = 60_000_000L;

    static Event crossing(String id, long timeUs, String direction) {
        return Event.newBuilder().setId(id).setType("crossing").setStreamId("door").setTimeUs(timeUs)
                .putAttributes("line", "door").putAttributes("direction", direction).build();
    }

    static Event zone(String id, String type, long timeUs) {
        return Event.newBuilder().setId(id).setType(type).setStreamId("door").setTimeUs(timeUs)
                .putAttributes("zone", "hall").putAttributes("track", "1").build();
    }

    @Test
    void minutesAcrossEmptyWeeksAddUpToTheTotals(@TempDir Path dir) throws Exception {
        long nowMs = System.currentTimeMillis();
        long nowUs = nowMs * 1000;
        long oldMinuteUs = (nowUs - 20L * 24 * 3600 * 1_000_000L) / MINUTE_US * MINUTE_US; // 20 days ago
        long recentMinuteUs = (nowUs - 2 * 3600_000_000L) / MINUTE_US * MINUTE_US; // 2 hours ago
        List<Event> events = new ArrayList<>();
        events.add(crossing("old-1", oldMinuteUs + 1_000_000, "in"));
        events.add(crossing("old-2", oldMinuteUs + 2_000_000, "in"));
        events.add(crossing("old-3", oldMinuteUs + MINUTE_US + 5, "out"));
        events.add(crossing("new-1", recentMinuteUs + 10, "in"));
        events.add(zone("z-1", "zone_enter", recentMinuteUs + 20));
        events.add(zone("z-2", "zone_exit", recentMinuteUs + MINUTE_US + 20));
        try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start();
             Coordinator c = Coordinator.start(CoordinatorConfig.builder().id("history").zkConnect(zk.connectString())
                     .httpPort(0).dataDir(dir.resolve("store")).minFreeDiskBytes(0).build())) {
            assertThat(c.store().record(events)).isEqualTo(events.size());
            CoordinatorApi api = CoordinatorApi.builder().build();
            SortedMap<Long, Map<String, Long>> h = CountsHistory.fetch(api, "http://127.0.0.1:" + c.httpPort(), "door", nowMs);

            Map<Long, Map<String, Long>> expected = new TreeMap<>();
            expected.put(oldMinuteUs / 1000, Map.of("line door in", 2L));
            expected.put(oldMinuteUs / 1000 + 60_000, Map.of("line door out", 1L));
            expected.put(recentMinuteUs / 1000, Map.of("line door in", 1L, "zone hall enter", 1L));
            expected.put(recentMinuteUs / 1000 + 60_000, Map.of("zone hall exit", 1L));
            assertThat(h).isEqualTo(expected);

            Path csv = dir.resolve("counts.csv");
            CountsCsv.Written w = CountsCsv.write(csv, Map.of("door", h));
            assertThat(w.rows()).isEqualTo(4);
            List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
            assertThat(lines.get(0)).isEqualTo("stream,from,to,line door in,line door out,zone hall enter,zone hall exit");
            assertThat(lines.get(1)).endsWith(",2,0,0,0");
            assertThat(lines.get(4)).endsWith(",0,0,0,1");
        }
    }
}
