package io.argus.app.console.view;

import io.argus.app.console.model.ConsoleModel;
import io.argus.app.console.model.OverlayFreshness;
import io.argus.app.console.model.StreamHealth;
import io.argus.app.console.model.StreamViewModel;
import io.argus.testing.ChildAgent;
import io.argus.testing.TestAssets;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;
import org.testfx.util.WaitForAsyncUtils;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Snapshot and Remove through the toolbar against a real agent: they act on the tile the operator
 * sees and selected, never on the stream a hidden Detail tab still holds; a snapshot is the frame
 * at the source's resolution with its overlays, named after stream and time; Remove asks first.
 */
class SnapshotAndRemoveTest extends FxRobot {
    static ChildAgent agent;
    static ConsoleModel model;
    static ConsoleWindow window;
    static Path dir;

    static ConsoleCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = ConsoleCluster.start("snapshot-remove", new ConsoleCluster.Options().withoutCoordinator().sceneHeight(800));
        dir = cluster.dir;
        agent = cluster.agent;
        model = cluster.model();
        window = cluster.window();
    }

    @AfterAll
    static void stop() throws Exception {
        cluster.close();
    }

    static <T> T fx(Callable<T> c) throws Exception {
        return WaitForAsyncUtils.asyncFx(c).get();
    }

    static int exactly(BufferedImage img, int rgb) {
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                n += (img.getRGB(x, y) & 0xffffff) == rgb ? 1 : 0;
            }
        }
        return n;
    }

    /**
     * The bug this replaces: in the lowest-latency mode, a stream whose results stopped kept its last
     * boxes drawn over every new picture. Here the agent is frozen (SIGSTOP) while the file keeps
     * being read: within the stale bound the boxes are gone from the tile, and the tile says stalled.
     */
    @Test
    void aFrozenAgentsLastBoxesAreNotDrawnOverNewPictures() throws Exception {
        String clip = TestAssets.vtest().toAbsolutePath().toString();
        StreamViewModel vm = fx(() -> model.addSource("frozen", clip, true, List.of("people"), Map.of()));
        fx(() -> {
            model.alignedOverlaysProperty().set(false);
            window.tabs().getSelectionModel().select(0);
            return null;
        });
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> fx(() -> {
                TileView t = window.wall().tile("frozen");
                return t != null && t.shownPicture() != null && !t.shownPicture().shapes().isEmpty()
                        && t.overlayVerdict() == OverlayFreshness.Verdict.CURRENT;
            }));
            agent.freeze();
            long frozenAt = System.nanoTime();
            long before = fx(() -> window.wall().tile("frozen").shownPicture().index());
            await().atMost(Duration.ofSeconds(10)).until(() -> fx(() -> window.wall().tile("frozen").overlayVerdict()
                    == OverlayFreshness.Verdict.HIDDEN));
            long hiddenAfterMs = (System.nanoTime() - frozenAt) / 1_000_000;
            assertThat(hiddenAfterMs).isLessThan(OverlayFreshness.DEFAULT_STALE_AFTER_MS + 1500);
            // new pictures keep coming (the file is read on), without the old boxes
            await().atMost(Duration.ofSeconds(5)).until(() -> fx(() -> window.wall().tile("frozen").shownPicture()
                    .index()) > before + 10);
            assertThat(fx(() -> window.wall().tile("frozen").overlayVerdict()))
                    .isEqualTo(OverlayFreshness.Verdict.HIDDEN);
            await().atMost(Duration.ofSeconds(10)).until(() -> fx(() -> vm.healthProperty().get()
                    == StreamHealth.STALLED
                    || vm.healthProperty().get() == StreamHealth.OFFLINE));
        } finally {
            agent.thaw();
            fx(() -> {
                model.alignedOverlaysProperty().set(true);
                model.removeSource("frozen");
                return null;
            });
        }
    }

    @Test
    void snapshotAndRemoveActOnTheVisibleSelectedTile() throws Exception {
        String clip = TestAssets.vtest().toAbsolutePath().toString();
        StreamViewModel people = fx(() -> model.addSource("people", clip, true, List.of("people"), Map.of()));
        StreamViewModel plain = fx(() -> model.addSource("plain", clip, true, List.of("noop"), Map.of()));
        await().atMost(Duration.ofSeconds(60)).until(() -> fx(() -> people.healthProperty().get().running()
                && plain.healthProperty().get().running()));
        Button snap = fx(() -> (Button) window.tabs().getScene().lookup("#snapshot"));
        Button remove = fx(() -> (Button) window.tabs().getScene().lookup("#remove-source"));
        // nothing selected on the wall: nothing to act on
        assertThat(fx(snap::isDisabled)).isTrue();
        assertThat(fx(remove::isDisabled)).isTrue();

        // "people" opened in Detail (as a double click on its tile does), then another tab and the wall
        fx(() -> {
            window.showDetail(people);
            return null;
        });
        assertThat(fx(() -> window.detail().current())).isSameAs(people);
        assertThat(fx(snap::isDisabled)).isFalse(); // Detail shows "people": it is the target there
        // on another tab, Detail's stream is hidden state: not a target
        fx(() -> {
            window.tabs().getSelectionModel().select(2);
            return null;
        });
        assertThat(fx(snap::isDisabled)).isTrue();
        assertThat(fx(remove::isDisabled)).isTrue();
        // nor on the wall, where no tile is selected
        fx(() -> {
            window.tabs().getSelectionModel().select(0);
            return null;
        });
        assertThat(fx(snap::isDisabled)).isTrue();
        assertThat(fx(remove::isDisabled)).isTrue();

        // the operator selects the "plain" tile and takes a snapshot of it
        clickOn(fx(() -> window.wall().tile("plain")));
        assertThat(fx(snap::isDisabled)).isFalse();
        clickOn("#snapshot");
        Label message = fx(() -> (Label) window.tabs().getScene().lookup("#action-message"));
        await().atMost(Duration.ofSeconds(10)).until(() -> fx(message::getText).startsWith("saved "));
        Path saved = Path.of(fx(message::getText).substring("saved ".length()));
        assertThat(saved.getFileName().toString()).matches("plain-\\d{8}-\\d{6}-\\d{3}\\.png");
        assertThat(saved.getParent()).isEqualTo(dir.resolve("snapshots").toAbsolutePath());
        BufferedImage img = ImageIO.read(saved.toFile());
        assertThat(img.getWidth()).as("source resolution, not the tile's").isEqualTo(768);
        assertThat(img.getHeight()).isEqualTo(576);

        // the "people" tile, selected once its overlays are current: the boxes' label patches are in the PNG
        clickOn(fx(() -> window.wall().tile("people")));
        await().atMost(Duration.ofSeconds(60)).until(() -> fx(() -> {
            TileView t = window.wall().tile("people");
            return t != null && t.shownPicture() != null && !t.shownPicture().shapes().isEmpty()
                    && t.overlayVerdict() == OverlayFreshness.Verdict.CURRENT;
        }));
        clickOn("#snapshot");
        await().atMost(Duration.ofSeconds(10)).until(() -> fx(message::getText).matches("saved .*people-.*\\.png"));
        BufferedImage withBoxes = ImageIO.read(Path.of(fx(message::getText).substring(6)).toFile());
        assertThat(withBoxes.getWidth()).isEqualTo(768);
        assertThat(exactly(withBoxes, 0x4caf50)).as("person boxes and labels, drawn at full opacity").isGreaterThan(200);
        assertThat(exactly(img, 0x4caf50)).as("no task, no boxes").isLessThan(20);

        // Remove asks first; Cancel keeps the stream
        clickOn(fx(() -> window.wall().tile("plain")));
        clickOn("#remove-source");
        WaitForAsyncUtils.waitForFxEvents();
        clickOn("Cancel");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(fx(() -> model.find("plain"))).isPresent();
        // OK removes the selected stream, not the one Detail still holds
        clickOn("#remove-source");
        WaitForAsyncUtils.waitForFxEvents();
        clickOn("OK");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(fx(() -> model.find("plain"))).isEmpty();
        assertThat(fx(() -> model.find("people"))).isPresent();
        assertThat(fx(message::getText)).isEqualTo("removed plain");
        assertThat(fx(remove::isDisabled)).as("the removed tile is no longer selected").isTrue();

        // in Detail, Remove acts on the stream shown there, and Detail lets go of it
        fx(() -> {
            window.tabs().getSelectionModel().select(1);
            return null;
        });
        assertThat(fx(remove::isDisabled)).isFalse();
        clickOn("#remove-source");
        WaitForAsyncUtils.waitForFxEvents();
        clickOn("OK");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(fx(() -> model.find("people"))).isEmpty();
        assertThat(fx(() -> window.detail().current())).isNull();
        assertThat(fx(() -> window.detail().tile())).isNull();
        assertThat(fx(remove::isDisabled)).isTrue();
        assertThat(fx(snap::isDisabled)).isTrue();
    }
}
