package io.argus.cli;

import io.argus.agent.AgentConfig;
import io.argus.agent.NodeAgent;
import io.argus.agent.managed.ManagedRetryConfig;
import io.argus.cluster.SourcePolicies;
import io.argus.cluster.SourcePolicy;
import io.argus.cluster.ZkClients;
import io.argus.cluster.ZkPaths;
import io.argus.coordinator.Coordinator;
import io.argus.coordinator.CoordinatorConfig;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import io.argus.testing.TestAssets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code argus stream add} and {@code stream list} against a real coordinator, agent and ZooKeeper:
 * a missing file is refused with the coordinator's plain message and no stack trace; a file that is
 * there but not video is accepted, and {@code stream list} (and {@code watch}) show it failed, with why.
 */
class StreamCommandStateTest {

    record Out(int exitCode, String stdout, String stderr) {
    }

    static synchronized Out argus(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream savedOut = System.out;
        PrintStream savedErr = System.err;
        int rc;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            rc = ArgusLauncher.commandLine().execute(args);
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
        return new Out(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aMissingFileIsRefusedPlainlyAndABrokenOneShowsFailedInTheList(@TempDir Path dir) throws Exception {
        Path media = Files.createDirectories(dir.resolve("media"));
        Path notVideo = Files.writeString(media.resolve("door.avi"), "not a video");
        try (TestingServer zk = new TestingServer(true);
             NodeAgent agent = NodeAgent.start(AgentConfig.builder().agentId("cli-agent").zkConnect(zk.getConnectString())
                     .workers(2).managedRetry(ManagedRetryConfig.builder().initialMs(200).maxMs(400).failAfter(3).build())
                     .build());
             Coordinator c = Coordinator.start(CoordinatorConfig.builder().id("cli-c").zkConnect(zk.getConnectString())
                     .httpPort(0).dataDir(dir.resolve("c")).build());
             CuratorFramework admin = ZkClients.newClient(zk.getConnectString())) {
            admin.start();
            SourcePolicies.write(admin, ZkPaths.defaults(), SourcePolicy.DEFAULT.withMediaRoot(media));
            String url = "http://127.0.0.1:" + c.httpPort();

            Path ghost = media.resolve("ghost.avi");
            Out refused = argus("stream", "add", "ghost", "--coordinator", url, "--url", ghost.toString(), "--tasks", "color");
            assertThat(refused.exitCode()).isEqualTo(StreamCommand.EXIT_REFUSED);
            assertThat(refused.stderr().trim()).startsWith("stream add: refused (SOURCE_NOT_FOUND): no such file or folder: "
                    + ghost + "; check that the path exists");
            assertThat(refused.stderr()).doesNotContain("Exception").doesNotContain("\tat ");

            Out outside = argus("stream", "add", "ghost", "--coordinator", url, "--url", "/no/such/file");
            assertThat(outside.exitCode()).isEqualTo(StreamCommand.EXIT_REFUSED);
            assertThat(outside.stderr()).startsWith("stream add: refused (SOURCE_NOT_ALLOWED): ");

            Out added = argus("stream", "add", "door", "--coordinator", url, "--url", notVideo.toString(), "--tasks", "color");
            assertThat(added.exitCode()).as(added.stderr()).isZero();

            AtomicReference<String> list = new AtomicReference<>("");
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
                Out l = argus("stream", "list", "--coordinator", url);
                list.set(l.stdout());
                return l.stdout().lines().anyMatch(line -> line.startsWith("door") && line.contains(" failed "));
            });
            System.out.println(list.get());
            assertThat(list.get()).contains("STATE")
                    .contains("    last error: cannot open " + notVideo + ": ")
                    .contains("check that it is a video format FFmpeg can open")
                    .contains("(3 failures in a row)")
                    .doesNotContain("ghost");

            // a recording on this machine is dated from its own start (here: modified at 06:00, 79.5 s long),
            // or from the start given; anything else is refused before the coordinator is asked
            Path night = Files.copy(TestAssets.vtest(), media.resolve("night.avi"));
            Files.setLastModifiedTime(night, java.nio.file.attribute.FileTime.from(java.time.Instant.parse("2026-12-07T06:00:00Z")));
            Out dated = argus("stream", "add", "night", "--coordinator", url, "--url", night.toString(), "--tasks", "color");
            assertThat(dated.exitCode()).as(dated.stderr()).isZero();
            assertThat(dated.stderr()).contains("events dated from 2026-12-07T05:58:40.500Z (the file's modification time minus its duration");
            assertThat(dated.stdout()).contains("\"recorded_at\" : \"2026-12-07T05:58:40.500Z\"");
            Out given = argus("stream", "add", "night", "--coordinator", url, "--url", night.toString(), "--tasks", "color",
                    "--recorded-at", "2026-12-06T22:00:00Z");
            assertThat(given.stdout()).contains("\"recorded_at\" : \"2026-12-06T22:00:00Z\"");
            Out bad = argus("stream", "add", "night", "--coordinator", url, "--url", night.toString(), "--recorded-at", "soon");
            assertThat(bad.exitCode()).isEqualTo(StreamCommand.EXIT_REFUSED);
            assertThat(bad.stderr()).contains("ISO-8601");
            assertThat(argus("stream", "rm", "night", "--coordinator", url).exitCode()).isZero();

            // a replay: cut here at the file's keyframes (250, 500), one managed stream per segment
            Out replay = argus("stream", "add", "reel", "--coordinator", url, "--url", night.toString(), "--tasks", "color",
                    "--replay", "--parallel", "3");
            assertThat(replay.exitCode()).as(replay.stderr()).isZero();
            assertThat(replay.stderr()).contains("3 segment(s), reel.seg0..2, recorded under reel");
            // the coordinator lists what its view of ZooKeeper has seen: a moment after the add
            AtomicReference<String> segments = new AtomicReference<>("");
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                segments.set(argus("stream", "list", "--coordinator", url).stdout());
                return segments.get().contains("reel.seg2");
            });
            assertThat(segments.get()).contains("reel.seg0")
                    .contains("    replay of reel: segment 2 of 3, frames 250-499 (warm-up from 150)");
            Out looped = argus("stream", "add", "reel", "--coordinator", url, "--url", night.toString(), "--replay", "--loop");
            assertThat(looped.exitCode()).isEqualTo(StreamCommand.EXIT_REFUSED);
            assertThat(argus("stream", "rm", "reel", "--coordinator", url).exitCode()).isZero();
            await().atMost(Duration.ofSeconds(10)).until(() -> !argus("stream", "list", "--coordinator", url).stdout().contains("reel"));

            // --parallel auto, the default: the workers of the agents registered now (one agent of 2 workers)
            Out auto = argus("stream", "add", "reel2", "--coordinator", url, "--url", night.toString(), "--tasks", "color", "--replay");
            assertThat(auto.exitCode()).as(auto.stderr()).isZero();
            assertThat(auto.stderr()).contains("2 segment(s), reel2.seg0..1, recorded under reel2");
            assertThat(argus("stream", "rm", "reel2", "--coordinator", url).exitCode()).isZero();
            Out many = argus("stream", "add", "reel3", "--coordinator", url, "--url", night.toString(), "--replay", "--parallel", "many");
            assertThat(many.exitCode()).isEqualTo(StreamCommand.EXIT_REFUSED);
            assertThat(many.stderr()).contains("--parallel must be a number or auto: many");
            // a file whose frames are not evenly spaced cannot be cut by frame numbers: refused before the coordinator is asked
            Path uneven = media.resolve("uneven.mp4");
            Process ff = new ProcessBuilder("ffmpeg", "-v", "error", "-y", "-i", TestAssets.vtest().toString(), "-t", "4", "-vf",
                    "setpts='(N+gte(N,20)*10)/(10*TB)'", "-fps_mode", "vfr", "-c:v", "mpeg4", "-q:v", "5", uneven.toString())
                    .redirectErrorStream(true).start();
            assertThat(ff.waitFor(2, java.util.concurrent.TimeUnit.MINUTES) && ff.exitValue() == 0)
                    .as(new String(ff.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)).isTrue();
            Out vfr = argus("stream", "add", "reel4", "--coordinator", url, "--url", uneven.toString(), "--tasks", "color", "--replay");
            assertThat(vfr.exitCode()).isEqualTo(StreamCommand.EXIT_REFUSED);
            assertThat(vfr.stderr()).contains("a variable frame rate").contains("evenly spaced");

            // watch, which follows results, says why there are none
            Out watch = argus("watch", "door", "--zk", zk.getConnectString(), "--seconds", "1");
            assertThat(watch.exitCode()).isZero();
            assertThat(watch.stderr()).contains("door is failed: cannot open " + notVideo + ": ");
        }
    }
}
