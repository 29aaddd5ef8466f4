package io.argus.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.argus.cli.analyze.AnalyzeExtension;
import io.argus.cli.demo.DemoCluster;
import io.argus.coordinator.Coordinator;
import io.argus.coordinator.CoordinatorConfig;
import io.argus.coordinator.store.EventStore;
import io.argus.media.segment.KeyframeIndex;
import io.argus.media.segment.Segment;
import io.argus.media.segment.SegmentConfig;
import io.argus.media.segment.SegmentPlan;
import io.argus.client.StreamResult;
import io.argus.media.image.OpenCv;
import io.argus.task.api.people.PeopleConfig;
import io.argus.testing.ChildAgent;
import io.argus.testing.TestAssets;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static io.argus.cli.AnalyzeEndToEndTest.JSON;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 21 on real footage through the embedded cluster: {@code --parallel 3} against a serial run
 * of {@code people} on vtest.avi (three segments cut at its keyframes, 250 and 500).
 *
 * <p>Tolerance: the issue allows at most one crossing per 1,000 frames per line where exact equality
 * is impossible. It can be: a segment's tracker starts {@link io.argus.media.segment.SegmentConfig
 * 10 s} before the segment with no background model and no tracks, and a person whose track, begun
 * in the warm-up, is younger than {@code minAge} or not yet confirmed when they cross right after
 * the boundary is not counted, where the serial run's older track is. The warm-up makes this rare
 * (a person must appear within the warm-up and cross within a few frames of the boundary) but not
 * impossible, so the line totals are held to the tolerance: ceil(frames / 1000) per line
 * and direction. Zone entries and exits depend on every id switch of the trackers (a fragment of a
 * track leaving and entering again) and are held to the serial run's entries and
 * exits, within {@link #ZONE_EVENT_TOLERANCE}) and to the zone's occupancy frame by frame (80% of frames).
 */
class AnalyzeParallelTest {
    static final String LINE = "mid:384,0,384,576";
    static final String ZONE = "hall:100,300,700,300,700,576,100,576";
    /** Zone entries or exits a parallel run may differ by from the serial run on vtest.avi. */
    static final long ZONE_EVENT_TOLERANCE = 4;
    static List<JsonNode> serial;
    /** A recording start given with {@code --recorded-at}. */
    static final java.time.Instant RECORDED_AT = java.time.Instant.parse("2026-12-06T22:00:00Z");
    static Path serialDir;

    @BeforeAll
    static void serialRun(@TempDir Path tmp) throws Exception {
        OpenCv.load();
        serialDir = tmp;
        serial = run(new AnalyzeCommand(), tmp, "serial");
    }

    static List<JsonNode> run(AnalyzeCommand cmd, Path tmp, String name, String... extra) throws Exception {
        return run(cmd, tmp, name, TestAssets.vtest(), extra);
    }

    /** {@code people} with line {@link #LINE} and zone {@link #ZONE} on {@code source}; the output's lines. */
    static List<JsonNode> run(AnalyzeCommand cmd, Path tmp, String name, Path source, String... extra) throws Exception {
        Path out = tmp.resolve(name + ".jsonl");
        List<String> args = new ArrayList<>(List.of("--no-progress", "--out", out.toString(), "--source",
                source.toString(), "--tasks", "people", "--line", LINE, "--zone", ZONE,
                "--mot-out", tmp.resolve(name + ".mot").toString()));
        args.addAll(List.of(extra));
        int rc = new CommandLine(cmd).execute(args.toArray(String[]::new));
        assertThat(rc).as("exit code").isZero();
        List<JsonNode> lines = new ArrayList<>();
        for (String l : Files.readAllLines(out)) {
            lines.add(JSON.readTree(l));
        }
        return lines;
    }

    static JsonNode summary(List<JsonNode> lines) {
        return lines.get(lines.size() - 1).get("summary");
    }

    static void assertSameCountsAsSerial(List<JsonNode> parallel) {
        assertThat(parallel).hasSize(796);
        for (int i = 0; i < 795; i++) {
            assertThat(parallel.get(i).get("stream").asText()).isEqualTo("vtest");
            assertThat(parallel.get(i).get("frame").asLong()).isEqualTo(i);
        }
        long tolerance = (795 + 999) / 1000;
        JsonNode s = summary(serial).at("/streams/vtest");
        JsonNode p = summary(parallel).at("/streams/vtest");
        for (String dir : List.of("in", "out")) {
            assertThat(Math.abs(p.at("/lines/mid/" + dir).asLong() - s.at("/lines/mid/" + dir).asLong()))
                    .as("mid %s: serial %s, parallel %s", dir, s.at("/lines/mid"), p.at("/lines/mid")).isLessThanOrEqualTo(tolerance);
        }
        // the agent's running counter, as stitched, says what the events say
        assertThat(p.at("/lines/mid").has("counter_in")).isFalse();
        JsonNode zone = p.at("/zones/hall");
        for (String figure : List.of("entries", "exits")) {
            // measured on a shared machine: 38/34 against 40/37; every id switch of a tracker is an exit and an entry
            assertThat(Math.abs(zone.get(figure).asLong() - s.at("/zones/hall/" + figure).asLong())).as(figure)
                    .isLessThanOrEqualTo(ZONE_EVENT_TOLERANCE);
        }
        assertThat(zone.get("occupancy_final")).isEqualTo(s.at("/zones/hall/occupancy_final"));
        assertThat(zone.get("occupancy_max")).isEqualTo(s.at("/zones/hall/occupancy_max"));
        int same = 0;
        for (int i = 0; i < 795; i++) {
            same += serial.get(i).at("/tasks/people/numbers/zone.hall.occupancy")
                    .equals(parallel.get(i).at("/tasks/people/numbers/zone.hall.occupancy")) ? 1 : 0;
        }
        assertThat(same).as("frames whose zone occupancy is the serial run's").isGreaterThanOrEqualTo(795 * 8 / 10); // measured: 703 of 795
    }

    /**
     * Stops (in this JVM) the embedded cluster's agent that answers frame {@code frame} first.
     *
     * @return the id of the agent stopped, once it is
     */
    static AtomicReference<String> stopAgentAtFrame(AnalyzeCommand cmd, long frame) {
        AtomicReference<DemoCluster> cluster = keepCluster(cmd);
        AtomicReference<String> stopped = new AtomicReference<>();
        cmd.extensions.add(new AnalyzeExtension() {
            @Override
            public void onResult(StreamResult r) {
                if (r.sourceIndex() == frame && stopped.compareAndSet(null, r.agentId())) {
                    // not on the delivery thread: stopping an agent waits for its connections to close
                    Thread t = new Thread(() -> cluster.get().stopAgent(r.agentId()), "stop-agent");
                    t.setDaemon(true);
                    t.start();
                }
            }
        });
        return stopped;
    }

    /** The embedded cluster {@code cmd} will start, once it has started it. */
    static AtomicReference<DemoCluster> keepCluster(AnalyzeCommand cmd) {
        AtomicReference<DemoCluster> cluster = new AtomicReference<>();
        AnalyzeCommand.EmbeddedCluster real = cmd.embeddedCluster;
        cmd.embeddedCluster = (agents, dir, prefix) -> {
            cluster.set(real.start(agents, dir, prefix));
            return cluster.get();
        };
        return cluster;
    }

    /**
     * The crossing events in the embedded cluster's store, once at least {@code expected} are there
     * (agents publish in batches) and a further publishing interval has brought no more.
     */
    static List<EventStore.StoredEvent> storedCrossings(DemoCluster cluster, long expected) {
        EventStore store = cluster.coordinator().store();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        List<EventStore.StoredEvent> found = List.of();
        int lastSize = -1;
        while (System.nanoTime() < deadline) {
            found = store.events(null, "crossing", null, null, 10_000);
            if (found.size() >= expected && found.size() == lastSize) {
                break;
            }
            lastSize = found.size() >= expected ? found.size() : -1;
            try {
                Thread.sleep(2_000); // several of the agents' publishing ticks
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return found;
    }

    /** The time of every crossing of a run's output, by event id. */
    static Map<String, Long> eventTimes(List<JsonNode> lines) {
        Map<String, Long> out = new HashMap<>();
        for (JsonNode l : lines.subList(0, lines.size() - 1)) {
            for (JsonNode e : l.at("/tasks/people/events")) {
                if (e.get("type").asText().equals("crossing")) {
                    out.put(e.get("id").asText(), e.get("time_us").asLong());
                }
            }
        }
        return out;
    }

    /** The time the output gives a crossing of frame {@code frame}. */
    static long timeAtFrame(List<JsonNode> lines, long frame) {
        for (JsonNode e : lines.get((int) frame).at("/tasks/people/events")) {
            if (e.get("type").asText().equals("crossing")) {
                return e.get("time_us").asLong();
            }
        }
        throw new AssertionError("no crossing in the output's frame " + frame);
    }

    /** No id is two people: within a frame ids are distinct, and an id's frames leave no gap a track could not coast. */
    static void assertTrackIdsAreOnePersonEach(Path mot) throws Exception {
        Map<Long, TreeSet<Long>> framesById = new HashMap<>();
        Map<Long, Set<Long>> idsByFrame = new TreeMap<>();
        for (String row : Files.readAllLines(mot)) {
            String[] f = row.split(",");
            long frame = Long.parseLong(f[0]);
            long id = Long.parseLong(f[1]);
            assertThat(idsByFrame.computeIfAbsent(frame, k -> new HashSet<>()).add(id)).as("id %d twice in frame %d", id, frame).isTrue();
            framesById.computeIfAbsent(id, k -> new TreeSet<>()).add(frame);
        }
        framesById.forEach((id, frames) -> {
            Long prev = null;
            for (long f : frames) {
                if (prev != null) {
                    assertThat(f - prev).as("track %d from frame %d to %d", id, prev, f)
                            .isLessThanOrEqualTo(PeopleConfig.DEFAULT_MAX_MISSES + 1);
                }
                prev = f;
            }
        });
    }

    @Test
    void threeSegmentsGiveTheSerialRunsLineTotalsAndZoneFigures(@TempDir Path tmp) throws Exception {
        AnalyzeCommand cmd = new AnalyzeCommand();
        AtomicReference<DemoCluster> cluster = keepCluster(cmd);
        List<EventStore.StoredEvent> stored = new ArrayList<>();
        cmd.extensions.add(new AnalyzeExtension() {
            long crossings;

            @Override
            public void onResult(StreamResult r) {
                if (r.ok()) {
                    r.okResult().getTasksList().forEach(t -> crossings += t.getEventsList().stream()
                            .filter(e -> e.getType().equals("crossing")).count());
                }
            }

            @Override
            public void summarize(com.fasterxml.jackson.databind.node.ObjectNode summary) {
                // every frame is answered; the cluster (and its store) is still up until after this
                stored.addAll(storedCrossings(cluster.get(), crossings));
            }
        });
        List<JsonNode> parallel = run(cmd, tmp, "p3", "--parallel", "3");
        assertSameCountsAsSerial(parallel);
        // the durable record holds each crossing once, from the segment owning its frame: a
        // segment's warm-up crossings are the previous segment's (they were stored twice before)
        JsonNode counted = summary(parallel).at("/streams/vtest/lines/mid");
        assertThat(stored).as("crossings in the coordinator's store").hasSize((int) (counted.get("in").asLong() + counted.get("out").asLong()));
        assertThat(stored.stream().filter(e -> "in".equals(e.attributes().get("direction"))).count()).isEqualTo(counted.get("in").asLong());
        List<Segment> plan = SegmentPlan.plan(KeyframeIndex.read(TestAssets.vtest().toString()), SegmentConfig.DEFAULT, 3);
        for (EventStore.StoredEvent e : stored) {
            Segment owner = plan.get(Integer.parseInt(e.stream().substring("vtest.seg".length())));
            assertThat(owner.owns(e.frame())).as("%s recorded by the segment owning frame %d", e.id(), e.frame()).isTrue();
        }
        assertThat(summary(parallel).at("/segments").size()).isEqualTo(3);
        // dated on the recording's clock, by every segment alike: the serial run (default --recorded-at
        // auto, the same file) dates each crossing it shares with this run the same, and the store
        // holds the dates the merged output gives
        Map<String, Long> serialTimes = eventTimes(serial);
        Map<String, Long> parallelTimes = eventTimes(parallel);
        parallelTimes.forEach((id, t) -> {
            if (serialTimes.containsKey(id)) {
                assertThat(t).as("time of %s", id).isEqualTo(serialTimes.get(id));
            }
        });
        assertThat(parallelTimes.keySet()).containsAnyElementsOf(serialTimes.keySet());
        for (EventStore.StoredEvent e : stored) {
            assertThat(e.timeUs()).as("stored %s", e.id()).isEqualTo(timeAtFrame(parallel, e.frame()));
            assertThat(parallelTimes.values()).contains(e.timeUs());
        }
        assertTrackIdsAreOnePersonEach(serialDir.resolve("serial.mot")); // the check holds for one tracker
        assertTrackIdsAreOnePersonEach(tmp.resolve("p3.mot"));
    }

    /**
     * The agent answering the first segment is stopped when the merged output reaches frame 100 of
     * that segment's 250: its stream fails over to another agent, which restores the checkpoint and
     * is sent the frames after it again (replay); the events of replayed frames have the ids they
     * had, so nothing is counted twice.
     */
    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES) // 70 s when it passes; once it hung in CI (a stream refused for minutes)
    void aSegmentWhoseAgentStopsMidRunIsReplayedElsewhereWithoutCountingTwice(@TempDir Path tmp) throws Exception {
        AnalyzeCommand cmd = new AnalyzeCommand();
        AtomicReference<String> stopped = stopAgentAtFrame(cmd, 100);
        List<JsonNode> parallel = run(cmd, tmp, "kill", "--parallel", "3", "--agents", "3",
                "--recorded-at", RECORDED_AT.toString());
        assertThat(stopped.get()).isNotNull();
        // every event dated the given start plus its frame's time in the file (10 frames/s), whichever
        // agent, segment or replay decided it
        long startUs = RECORDED_AT.getEpochSecond() * 1_000_000;
        for (JsonNode l : parallel.subList(0, 795)) {
            for (JsonNode e : l.at("/tasks/people/events")) {
                assertThat(e.get("time_us").asLong()).as("%s", e.get("id")).isEqualTo(startUs + l.get("frame").asLong() * 100_000);
            }
        }
        assertThat(summary(parallel).at("/segments/vtest.seg0/failovers").asLong()).as("segment 0 failed over").isPositive();
        assertSameCountsAsSerial(parallel);
        Set<String> ids = new HashSet<>();
        for (JsonNode l : parallel.subList(0, 795)) {
            for (JsonNode e : l.at("/tasks/people/events")) {
                if (!e.get("type").asText().equals("crossing")) {
                    continue; // the agent can repeat a zone event of one track in a frame, serially too
                }
                assertThat(ids.add(e.get("id").asText())).as("event %s once", e.get("id")).isTrue();
            }
        }
    }

    /**
     * The same with the agent process killed for real (the test above stops an agent in this JVM,
     * which closes its connections and leaves ZooKeeper politely): three agents in child JVMs,
     * {@code analyze} joining their cluster with {@code --zk}, and the agent answering the first
     * segment SIGKILLed when the merged output reaches frame 100 (sockets reset by the kernel, its
     * ZooKeeper session left to expire). The segment fails over and is replayed from its checkpoint
     * elsewhere; the result is the serial run's, within the same tolerance, each crossing once.
     */
    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void aSegmentWhoseAgentProcessIsKilledMidRunIsReplayedElsewhereWithoutCountingTwice(@TempDir Path tmp) throws Exception {
        // tickTime 200 ms: sessions of 3 s are allowed, and expire within a tick of their timeout
        TestingServer zk = new TestingServer(new InstanceSpec(Files.createDirectories(tmp.resolve("zk")).toFile(),
                InstanceSpec.getRandomPort(), -1, -1, false, 1, 200, -1, Map.of()), true);
        String connect = zk.getConnectString();
        try (Coordinator co = Coordinator.start(CoordinatorConfig.builder().id("kill-c").zkConnect(connect).httpPort(0)
                     .dataDir(tmp.resolve("c")).build());
             ChildAgent a = ChildAgent.start(connect, "pk-a", "--session-timeout-ms", "3000");
             ChildAgent b = ChildAgent.start(connect, "pk-b", "--session-timeout-ms", "3000");
             ChildAgent c = ChildAgent.start(connect, "pk-c", "--session-timeout-ms", "3000")) {
            Map<String, ChildAgent> agents = Map.of(a.id(), a, b.id(), b, c.id(), c);
            AnalyzeCommand cmd = new AnalyzeCommand();
            AtomicReference<String> killed = new AtomicReference<>();
            cmd.extensions.add(new AnalyzeExtension() {
                @Override
                public void onResult(StreamResult r) {
                    ChildAgent owner = agents.get(r.agentId());
                    if (r.sourceIndex() == 100 && owner != null && killed.compareAndSet(null, r.agentId())) {
                        Thread t = new Thread(() -> {
                            try {
                                owner.kill();
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        }, "kill-agent");
                        t.setDaemon(true);
                        t.start();
                    }
                }
            });
            List<JsonNode> parallel = run(cmd, tmp, "sigkill", "--parallel", "3", "--zk", connect);
            assertThat(killed.get()).as("an agent process killed").isNotNull();
            assertThat(summary(parallel).at("/segments/vtest.seg0/failovers").asLong()).as("segment 0 failed over").isPositive();
            assertSameCountsAsSerial(parallel);
            Set<String> ids = new HashSet<>();
            for (JsonNode l : parallel.subList(0, 795)) {
                for (JsonNode e : l.at("/tasks/people/events")) {
                    if (e.get("type").asText().equals("crossing")) {
                        assertThat(ids.add(e.get("id").asText())).as("event %s once", e.get("id")).isTrue();
                    }
                }
            }
            assertTrackIdsAreOnePersonEach(tmp.resolve("sigkill.mot"));
        } finally {
            zk.close();
        }
    }
}
