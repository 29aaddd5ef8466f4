package io.argus.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.argus.agent.AgentConfig;
import io.argus.agent.NodeAgent;
import io.argus.cluster.SourcePolicies;
import io.argus.cluster.SourcePolicy;
import io.argus.cluster.ZkClients;
import io.argus.cluster.ZkPaths;
import io.argus.media.image.OpenCv;
import io.argus.testing.TestAssets;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code analyze --encoding file}: the agents read the recording's frames themselves. Against a
 * serial run whose client decodes the file and sends the same pixels raw ({@code --encoding raw}):
 * a serial run gives every frame's results exactly (same pictures, same media times, so the same
 * tracks, counts and events); {@code --parallel 3} with an agent stopped mid-segment gives the
 * serial totals within issue 21's tolerance, each crossing once and dated by the recording's clock,
 * the new agent having sought the file to the checkpoint itself. A cluster whose source policy does
 * not allow the file refuses the run in one line, before any frame.
 */
class AnalyzeAgentsReadTest {
    static List<JsonNode> raw;

    @BeforeAll
    static void serialRaw(@TempDir Path tmp) throws Exception {
        OpenCv.load();
        raw = AnalyzeParallelTest.run(new AnalyzeCommand(), tmp, "raw", "--encoding", "raw",
                "--recorded-at", AnalyzeParallelTest.RECORDED_AT.toString());
    }

    @Test
    void aSerialRunGivesEveryFrameTheResultsOfTheSamePixelsSentRaw(@TempDir Path tmp) throws Exception {
        List<JsonNode> file = AnalyzeParallelTest.run(new AnalyzeCommand(), tmp, "file", "--encoding", "file",
                "--recorded-at", AnalyzeParallelTest.RECORDED_AT.toString());
        assertThat(file).hasSameSizeAs(raw);
        for (int i = 0; i < raw.size() - 1; i++) {
            assertThat(file.get(i).get("frame")).isEqualTo(raw.get(i).get("frame"));
            assertThat(file.get(i).get("tasks")).as("frame %d", i).isEqualTo(raw.get(i).get("tasks"));
        }
        JsonNode r = AnalyzeParallelTest.summary(raw).at("/streams/vtest");
        JsonNode f = AnalyzeParallelTest.summary(file).at("/streams/vtest");
        assertThat(f.get("lines")).isEqualTo(r.get("lines"));
        assertThat(f.get("zones")).isEqualTo(r.get("zones"));
        // no pixels held for a replay: each frame is a path and a number
        assertThat(f.at("/session/replay_peak_bytes").asLong()).isLessThan(r.at("/session/replay_peak_bytes").asLong() / 100);
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void threeSegmentsWithAnAgentStoppedGiveTheSerialTotalsEachCrossingOnce(@TempDir Path tmp) throws Exception {
        AnalyzeCommand cmd = new AnalyzeCommand();
        AtomicReference<String> stopped = AnalyzeParallelTest.stopAgentAtFrame(cmd, 100);
        List<JsonNode> parallel = AnalyzeParallelTest.run(cmd, tmp, "pfile", "--encoding", "file", "--parallel", "3",
                "--agents", "3", "--recorded-at", AnalyzeParallelTest.RECORDED_AT.toString());
        assertThat(stopped.get()).isNotNull();
        assertThat(AnalyzeParallelTest.summary(parallel).at("/segments/vtest.seg0/failovers").asLong())
                .as("segment 0 failed over").isPositive();
        assertThat(parallel).hasSize(796);
        long startUs = AnalyzeParallelTest.RECORDED_AT.getEpochSecond() * 1_000_000;
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 795; i++) {
            JsonNode l = parallel.get(i);
            assertThat(l.get("frame").asLong()).isEqualTo(i);
            for (JsonNode e : l.at("/tasks/people/events")) {
                // the media time the agents read from the file, echoed to the merge
                assertThat(e.get("time_us").asLong()).as("%s", e.get("id")).isEqualTo(startUs + i * 100_000L);
                if (e.get("type").asText().equals("crossing")) {
                    assertThat(ids.add(e.get("id").asText())).as("event %s once", e.get("id")).isTrue();
                }
            }
        }
        // the tolerance, as AnalyzeParallelTest explains it: one crossing per 1,000 frames
        long tolerance = (795 + 999) / 1000;
        JsonNode s = AnalyzeParallelTest.summary(raw).at("/streams/vtest/lines/mid");
        JsonNode p = AnalyzeParallelTest.summary(parallel).at("/streams/vtest/lines/mid");
        for (String dir : List.of("in", "out")) {
            assertThat(Math.abs(p.get(dir).asLong() - s.get(dir).asLong())).as("mid %s: serial %s, parallel %s", dir, s, p)
                    .isLessThanOrEqualTo(tolerance);
        }
        AnalyzeParallelTest.assertTrackIdsAreOnePersonEach(tmp.resolve("pfile.mot"));
    }

    @Test
    void aFileOutsideTheClustersMediaRootsIsRefusedBeforeAnyFrame(@TempDir Path tmp) throws Exception {
        Path media = Files.createDirectories(tmp.resolve("media"));
        Path clip = Files.copy(TestAssets.vtest(), media.resolve("door.avi"));
        Path out = tmp.resolve("out.jsonl");
        try (TestingServer zk = new TestingServer(true);
             NodeAgent agent = NodeAgent.start(AgentConfig.builder().agentId("file-agent").zkConnect(zk.getConnectString())
                     .build());
             CuratorFramework admin = ZkClients.newClient(zk.getConnectString())) {
            admin.start();
            String[] args = {"analyze", "--zk", zk.getConnectString(), "--source", clip.toString(), "--encoding", "file",
                    "--tasks", "color", "--max-frames", "20", "--no-progress", "--out", out.toString()};
            StreamCommandStateTest.Out refused = StreamCommandStateTest.argus(args);
            assertThat(refused.exitCode()).isEqualTo(AnalyzeCommand.EXIT_BAD_SOURCE);
            // a fresh cluster grants nothing
            assertThat(refused.stderr()).contains("analyze: --encoding file: ").contains("--client-files");
            assertThat(!Files.exists(out) || Files.readAllLines(out).isEmpty()).as("no frame line").isTrue();

            // the grant, but the file under no media root
            SourcePolicies.write(admin, ZkPaths.defaults(), SourcePolicy.DEFAULT.withClientFiles(true));
            StreamCommandStateTest.Out outside = StreamCommandStateTest.argus(args);
            assertThat(outside.exitCode()).isEqualTo(AnalyzeCommand.EXIT_BAD_SOURCE);
            assertThat(outside.stderr()).contains("media root");
            // the folder as a media root is for managed streams; clients read there only with the grant
            SourcePolicies.write(admin, ZkPaths.defaults(), SourcePolicy.DEFAULT.withMediaRoot(media));
            StreamCommandStateTest.Out ungranted = StreamCommandStateTest.argus(args);
            assertThat(ungranted.exitCode()).isEqualTo(AnalyzeCommand.EXIT_BAD_SOURCE);
            assertThat(ungranted.stderr()).contains("--client-files");
            SourcePolicies.write(admin, ZkPaths.defaults(), SourcePolicy.DEFAULT.withMediaRoot(media).withClientFiles(true));
            StreamCommandStateTest.Out allowed = StreamCommandStateTest.argus(args);
            assertThat(allowed.exitCode()).as(allowed.stderr()).isZero();
            List<String> lines = Files.readAllLines(out);
            assertThat(lines).hasSize(21);
            assertThat(lines.get(19)).contains("\"frame\":19").contains("\"width\":768").contains("\"color\"");
        }
    }
}
