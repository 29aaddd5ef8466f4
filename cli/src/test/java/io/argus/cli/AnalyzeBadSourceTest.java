package io.argus.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code argus analyze} on a source that cannot be opened: a plain message saying what to check, the
 * bad-input exit code, and no embedded cluster started (the source is checked first; starting
 * ZooKeeper, a coordinator and agents took seconds before the old run noticed).
 */
class AnalyzeBadSourceTest {

    /** The outcome of one run: exit code, standard error, whether the embedded cluster was started, time taken. */
    record Run(int exitCode, String stderr, int clustersStarted, long millis) {
    }

    static Run analyze(String... args) {
        AnalyzeCommand cmd = new AnalyzeCommand();
        AtomicInteger started = new AtomicInteger();
        AnalyzeCommand.EmbeddedCluster real = cmd.embeddedCluster;
        cmd.embeddedCluster = (agents, dir, prefix) -> {
            started.incrementAndGet(); // recorded, then the real cluster: nothing here is faked
            return real.start(agents, dir, prefix);
        };
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream saved = System.err;
        long t0 = System.nanoTime();
        int rc;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            rc = new CommandLine(cmd).execute(args);
        } finally {
            System.setErr(saved);
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        String text = err.toString(StandardCharsets.UTF_8);
        saved.println("analyze " + String.join(" ", args) + " -> exit " + rc + " in " + ms + " ms: " + text.trim());
        return new Run(rc, text, started.get(), ms);
    }

    @Test
    void aMissingFileIsAnsweredWithWhatToCheckBeforeTheEmbeddedClusterStarts() {
        Run r = analyze("--no-progress", "--source", "/no/such/file", "--tasks", "people");

        assertThat(r.exitCode()).isEqualTo(AnalyzeCommand.EXIT_BAD_SOURCE);
        assertThat(r.clustersStarted()).as("the embedded cluster was started for a source that does not exist").isZero();
        assertThat(r.stderr().trim()).isEqualTo("analyze: no such file or folder: /no/such/file; "
                + "check that the path exists (for a managed stream: on the agent's machine)");
        assertThat(r.stderr()).doesNotContain("Exception").doesNotContain("\tat ");
        // measured (printed above), not asserted tightly: the check is a stat, so this is far under a
        // second unless the machine stalls; the structural assertion is the one above
        assertThat(r.millis()).isLessThan(30_000);
    }

    @Test
    void aFileFfmpegCannotReadSaysSoWithoutJavaCvsDeveloperHints(@TempDir Path dir) throws Exception {
        Path notVideo = Files.writeString(dir.resolve("clip.avi"), "not a video at all, just some text");

        Run r = analyze("--no-progress", "--source", notVideo.toString());

        assertThat(r.exitCode()).isEqualTo(AnalyzeCommand.EXIT_BAD_SOURCE);
        assertThat(r.clustersStarted()).isZero();
        assertThat(r.stderr()).startsWith("analyze: cannot open " + notVideo + ": ")
                .contains("check that it is a video format FFmpeg can open")
                .doesNotContain("setFormat").doesNotContain("avformat_open_input").doesNotContain("Exception");
    }

    @Test
    void theLauncherAnswersWithTheSameExitCode() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream saved = System.err;
        int rc;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            rc = ArgusLauncher.commandLine().execute("analyze", "--source", "/no/such/file");
        } finally {
            System.setErr(saved);
        }
        assertThat(rc).isEqualTo(AnalyzeCommand.EXIT_BAD_SOURCE);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("analyze: no such file or folder: /no/such/file");
    }
}
