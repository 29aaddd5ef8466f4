package io.argus.app.console.model;

import io.argus.app.console.model.AddSourceViewModel.Kind;
import io.argus.client.ArgusClient;
import io.argus.cluster.embedded.EmbeddedZooKeeper;
import io.argus.testing.TestAssets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Add source's checks on real sources (FFmpeg and the image reader behind {@code Sources.open}, a
 * real ZooKeeper behind the console): the sample clip is added; a missing path, a text file named
 * .mp4, an empty folder and a server that never answers are refused in plain words and add
 * nothing; input mistakes are refused before anything is opened.
 */
class AddSourceViewModelTest {
    static EmbeddedZooKeeper zk;
    static ArgusClient client;
    static ConsoleModel model;
    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        zk = EmbeddedZooKeeper.start();
        client = ArgusClient.connect(zk.connectString(), "add-source-test");
        model = new ConsoleModel(client, Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")),
                "add-source").resolve("console.json"));
    }

    @AfterAll
    static void stop() throws Exception {
        model.close();
        client.close();
        zk.close();
    }

    @AfterEach
    void removeAll() {
        for (StreamViewModel vm : new ArrayList<>(model.streams())) {
            model.removeSource(vm.getName());
        }
    }

    /** Results applied on the caller's thread: the test reads them once the future completed. */
    static AddSourceViewModel form(String name, Kind kind, String source) {
        return form(name, kind, source, AddSourceViewModel.DEFAULT_PROBE_TIMEOUT);
    }

    static AddSourceViewModel form(String name, Kind kind, String source, Duration timeout) {
        AddSourceViewModel f = new AddSourceViewModel(model, Runnable::run, timeout);
        f.nameProperty().set(name);
        f.kindProperty().set(kind);
        f.sourceProperty().set(source);
        return f;
    }

    static Optional<StreamViewModel> submit(AddSourceViewModel f) throws Exception {
        return f.submit(List.of("noop")).get(30, TimeUnit.SECONDS);
    }

    /** The operator's words: none of JavaCV's or FFmpeg's developer vocabulary, nor a Java exception. */
    static void assertPlain(String message) {
        assertThat(message).isNotBlank().doesNotContain("avformat", "JavaCV", "Exception", "setFormat", "(Has",
                "org.bytedeco", "java.");
    }

    @Test
    void theSampleClipIsCheckedAndAdded() throws Exception {
        AddSourceViewModel f = form("clip", Kind.FILE, TestAssets.vtest().toString());
        Optional<StreamViewModel> added = submit(f);
        assertThat(added).isPresent();
        assertThat(added.get().getName()).isEqualTo("clip");
        assertThat(model.find("clip")).isPresent();
        assertThat(model.settings().find("clip").source).isEqualTo(TestAssets.vtest().toString());
        assertThat(f.sourceProblemProperty().get()).isEmpty();
        assertThat(f.checkingProperty().get()).isFalse();
    }

    @Test
    void aMissingPathIsRefusedInPlainWords() throws Exception {
        AddSourceViewModel f = form("missing", Kind.FILE, dir.resolve("no-such.mp4").toString());
        assertThat(submit(f)).isEmpty();
        String m = f.sourceProblemProperty().get();
        assertThat(m).startsWith("no such file or folder: ").contains("check that the path exists");
        assertPlain(m);
        assertThat(model.find("missing")).isEmpty();
    }

    @Test
    void aTextFileNamedMp4IsRefusedWithFfmpegsReasonWithoutItsHints() throws Exception {
        Path fake = dir.resolve("notes.mp4");
        Files.writeString(fake, "these are meeting notes, not a video\n".repeat(50), StandardCharsets.UTF_8);
        AddSourceViewModel f = form("notes", Kind.FILE, fake.toString());
        assertThat(submit(f)).isEmpty();
        String m = f.sourceProblemProperty().get();
        assertThat(m).startsWith("cannot open " + fake).contains("check that it is a video format FFmpeg can open");
        assertPlain(m);
        assertThat(model.find("notes")).isEmpty();
    }

    @Test
    void anEmptyFolderIsRefused() throws Exception {
        Path empty = Files.createDirectory(dir.resolve("empty"));
        AddSourceViewModel f = form("empty", Kind.FOLDER, empty.toString());
        assertThat(submit(f)).isEmpty();
        String m = f.sourceProblemProperty().get();
        assertThat(m).startsWith("no images (jpg, png, bmp) in ");
        assertPlain(m);
        assertThat(model.find("empty")).isEmpty();
    }

    @Test
    void inputMistakesAreRefusedAtOnceWithoutOpeningAnything() throws Exception {
        model.addSource("taken", TestAssets.vtest().toString(), false, List.of("noop"), java.util.Map.of());
        String clip = TestAssets.vtest().toString();
        record Case(String name, Kind kind, String source, String nameProblem, String sourceProblem) {
        }
        for (Case c : List.of(
                new Case("", Kind.FILE, clip, "give the stream a name", ""),
                new Case("  ", Kind.FILE, clip, "give the stream a name", ""),
                new Case("taken", Kind.FILE, clip, "a stream called 'taken' is already on the wall", ""),
                new Case("door cam", Kind.FILE, clip, "a stream name is 1-128 letters, digits, '.', '_' or '-'", ""),
                new Case("x", Kind.FILE, " ", "", "give the path of a video file or an image"),
                new Case("x", Kind.FOLDER, "", "", "give the path of a folder of images"),
                new Case("x", Kind.URL, "", "", "give the stream's URL"),
                new Case("x", Kind.URL, "camera.local/live", "", "a URL starts with rtsp://, http:// or https://"),
                new Case("x", Kind.CAMERA, "front", "", "give the camera's number (0 for /dev/video0)"),
                new Case("", Kind.MANAGED, "", "", "give the managed stream's name"),
                new Case("", Kind.MANAGED, "taken", "", "a stream called 'taken' is already on the wall"))) {
            AddSourceViewModel f = form(c.name(), c.kind(), c.source());
            CompletableFuture<Optional<StreamViewModel>> done = f.submit(List.of("noop"));
            assertThat(done).as("%s: answered at once", c).isDone();
            assertThat(done.get()).as("%s", c).isEmpty();
            assertThat(f.checkingProperty().get()).isFalse();
            assertThat(f.nameProblemProperty().get()).as("%s", c).isEqualTo(c.nameProblem());
            assertThat(f.sourceProblemProperty().get()).as("%s", c).isEqualTo(c.sourceProblem());
            // typing again clears what was said about the field
            f.sourceProperty().set(c.source() + "x");
            f.nameProperty().set(c.name() + "x");
            assertThat(f.sourceProblemProperty().get()).isEmpty();
            assertThat(f.nameProblemProperty().get()).isEmpty();
        }
        assertThat(model.streams()).hasSize(1);
    }

    /**
     * A server that accepts the connection and never sends a byte (as a stuck camera does): the
     * check is given up on after its time bound, says so, and adds nothing; meanwhile the form says
     * it is checking and a second OK does nothing.
     */
    @Test
    void aSourceThatNeverAnswersIsGivenUpOnAfterTheTimeBound() throws Exception {
        try (ServerSocket server = new ServerSocket(0)) {
            List<Socket> accepted = new java.util.concurrent.CopyOnWriteArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(server.accept());
                    }
                } catch (java.io.IOException closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            String url = "http://127.0.0.1:" + server.getLocalPort() + "/live";
            AddSourceViewModel f = form("stuck", Kind.URL, url, Duration.ofMillis(1500));
            long t0 = System.nanoTime();
            CompletableFuture<Optional<StreamViewModel>> done = f.submit(List.of("noop"));
            assertThat((System.nanoTime() - t0) / 1_000_000).as("submit does not wait for the source").isLessThan(500);
            assertThat(done).isNotDone();
            assertThat(f.checkingProperty().get()).isTrue();
            assertThat(f.statusProperty().get()).isEqualTo("checking " + url + " ...");
            assertThat(f.submit(List.of("noop")).get()).as("no second check while one runs").isEmpty();
            assertThat(done.get(10, TimeUnit.SECONDS)).isEmpty();
            long tookMs = (System.nanoTime() - t0) / 1_000_000;
            assertThat(tookMs).isBetween(1400L, 4000L);
            assertThat(f.checkingProperty().get()).isFalse();
            assertThat(f.statusProperty().get()).isEmpty();
            String m = f.sourceProblemProperty().get();
            assertThat(m).isEqualTo("no frame from " + url + " within 1500 ms; check that the URL is reachable from"
                    + " this machine and serves video");
            assertPlain(m);
            assertThat(model.find("stuck")).isEmpty();
            for (Socket s : accepted) {
                s.close();
            }
        }
    }

    /** Cancel while the check runs: when it ends, the stream is not added after all. */
    @Test
    void aCheckEndingAfterCancelAddsNothing() throws Exception {
        // a UI thread the test drives: the check's result waits in it until the test runs it
        java.util.concurrent.BlockingQueue<Runnable> uiThread = new java.util.concurrent.LinkedBlockingQueue<>();
        AddSourceViewModel f = new AddSourceViewModel(model, uiThread::add, AddSourceViewModel.DEFAULT_PROBE_TIMEOUT);
        f.nameProperty().set("cancelled");
        f.sourceProperty().set(TestAssets.vtest().toString());
        CompletableFuture<Optional<StreamViewModel>> done = f.submit(List.of("noop"));
        f.cancel();
        Runnable result = uiThread.poll(30, TimeUnit.SECONDS);
        assertThat(result).as("the check ended").isNotNull();
        result.run();
        assertThat(done.get()).isEmpty();
        assertThat(f.checkingProperty().get()).isFalse();
        assertThat(model.find("cancelled")).isEmpty();
    }

    @Test
    void aPickedFileBecomesTheSourceAndNamesTheStreamAsTheCliWould() throws Exception {
        model.addSource("vtest", TestAssets.vtest().toString(), false, List.of("noop"), java.util.Map.of());
        AddSourceViewModel f = form("", Kind.URL, "");
        f.picked(TestAssets.vtest(), false);
        assertThat(f.kindProperty().get()).isEqualTo(Kind.FILE);
        assertThat(f.sourceProperty().get()).isEqualTo(TestAssets.vtest().toAbsolutePath().toString());
        assertThat(f.nameProperty().get()).as("vtest is taken").isEqualTo("vtest-2");
        assertThat(f.browseStart()).contains(TestAssets.vtest().toAbsolutePath().getParent());
        // a name the operator typed is kept
        f.picked(dir, true);
        assertThat(f.kindProperty().get()).isEqualTo(Kind.FOLDER);
        assertThat(f.sourceProperty().get()).isEqualTo(dir.toAbsolutePath().toString());
        assertThat(f.nameProperty().get()).isEqualTo("vtest-2");
        assertThat(f.browseStart()).contains(dir.toAbsolutePath());
    }
}
