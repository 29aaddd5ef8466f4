package io.argus.app.console.view;

import io.argus.app.console.feed.FeedSnapshot;
import io.argus.app.console.feed.FramePicture;
import io.argus.app.console.feed.Shape;
import io.argus.app.console.model.ModelProbe;
import io.argus.app.console.model.OverlayFreshness;
import io.argus.app.console.model.StreamHealth;
import io.argus.app.console.model.StreamViewModel;
import io.argus.protocol.Envelopes;
import javafx.scene.Scene;
import javafx.scene.SnapshotParameters;
import javafx.scene.image.PixelReader;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.StackPane;
import javafx.scene.paint.Color;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real tile in a real scene (Monocle, the console's stylesheet), shown pictures whose overlays
 * belong to them or not, and read back pixel by pixel from its overlay canvas.
 */
@ExtendWith(ApplicationExtension.class)
class TileOverlayTest extends FxRobot {
    static final int W = 640;
    static final int H = 480;
    static final int GREEN = 0x4caf50;

    ScriptedFeed feed;
    StreamViewModel vm;
    TileView tile;
    StackPane root;

    @Start
    void start(Stage stage) {
        feed = new ScriptedFeed("cam");
        vm = new StreamViewModel(feed);
        tile = new TileView(vm);
        root = new StackPane(tile);
        Scene scene = new Scene(root, 800, 400);
        scene.getStylesheets().add(Objects.requireNonNull(getClass().getResource("/argus/ui/argus-dark.css")).toExternalForm());
        stage.setScene(scene);
        stage.show();
    }

    static <T> T fx(Callable<T> c) throws Exception {
        return WaitForAsyncUtils.asyncFx(c).get();
    }

    static Shape box(double x1, double y1, double x2, double y2, String label) {
        return new Shape(Shape.Kind.BOX, new double[]{x1, x2}, new double[]{y1, y2}, label, GREEN);
    }

    /** Shows {@code p} on the tile and returns the overlay canvas as pixels. */
    PixelReader show(FramePicture p) throws Exception {
        feed.picture = p;
        return fx(() -> {
            tile.update(true);
            SnapshotParameters sp = new SnapshotParameters();
            sp.setFill(Color.TRANSPARENT);
            WritableImage img = tile.canvas().snapshot(sp, null);
            return img.getPixelReader();
        });
    }

    static int count(PixelReader r, int x0, int y0, int x1, int y1) {
        int n = 0;
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                n += r.getColor(x, y).getOpacity() > 0.05 ? 1 : 0;
            }
        }
        return n;
    }

    @Test
    void anOverlayIsDrawnOnlyWithItsOwnFrameOrFadedAsStaleWithinTheBound() throws Exception {
        long now = Envelopes.nowMicros();
        List<Shape> boxes = List.of(box(100, 100, 300, 400, "#7"));
        // the frame's own overlays: drawn
        PixelReader own = show(new FramePicture(W, H, ScriptedFeed.grey(W, H), boxes, 50, now));
        assertThat(fx(tile::overlayVerdict)).isEqualTo(OverlayFreshness.Verdict.CURRENT);
        assertThat(count(own, 0, 0, 800, 400)).isGreaterThan(500);
        // a new picture with the boxes of a frame 5 s older (what an offline stream's tile used to show): nothing
        PixelReader old = show(new FramePicture(W, H, ScriptedFeed.grey(W, H), boxes, 200, now, 50, now - 5_000_000));
        assertThat(fx(tile::overlayVerdict)).isEqualTo(OverlayFreshness.Verdict.HIDDEN);
        assertThat(count(old, 0, 0, 800, 400)).isZero();
        // boxes 1 s behind the picture (past the live lag, within the stale bound): faded, with the word
        // (times taken afresh: the first show on a new stage can take a second)
        now = Envelopes.nowMicros();
        PixelReader late = show(new FramePicture(W, H, ScriptedFeed.grey(W, H), boxes, 201, now, 180, now - 1_000_000));
        assertThat(fx(tile::overlayVerdict)).isEqualTo(OverlayFreshness.Verdict.STALE);
        double dx = (800 - W * (400.0 / H)) / 2;
        double scale = 400.0 / H;
        // the box's left edge, half way down: faded, not solid
        Color edge = late.getColor((int) Math.round(100 * scale + dx), (int) (250 * scale));
        assertThat(edge.getOpacity()).isBetween(0.2, 0.6); // OverlayPainter.STALE_ALPHA
        // a frame that stalled on screen for longer than the bound keeps its own boxes, but stale
        now = Envelopes.nowMicros();
        show(new FramePicture(W, H, ScriptedFeed.grey(W, H), boxes, 300,
                now - (OverlayFreshness.DEFAULT_STALE_AFTER_MS + 500) * 1000));
        assertThat(fx(tile::overlayVerdict)).isEqualTo(OverlayFreshness.Verdict.STALE);
    }

    /**
     * Seen in the 30-minute demo: boxes over empty ground, tracks coasting through a missed
     * detection drawn like detections. A predicted box is dashed: along its left edge about half
     * the pixels are drawn where a detected box's edge is solid.
     */
    @Test
    void aPredictedBoxIsDashedAndADetectedOneSolid() throws Exception {
        double scale = 400.0 / H;
        double dx = (800 - W * scale) / 2;
        int x = (int) Math.round(100 * scale + dx);
        int y0 = (int) Math.ceil(150 * scale);
        int y1 = (int) Math.floor(400 * scale);
        PixelReader seen = show(new FramePicture(W, H, ScriptedFeed.grey(W, H),
                List.of(box(100, 100, 300, 400, "#7")), 1, Envelopes.nowMicros()));
        int solid = count(seen, x - 1, y0, x + 2, y1);
        Shape predicted = new Shape(Shape.Kind.BOX, new double[]{100, 300}, new double[]{100, 400}, "#7 predicted",
                GREEN, true);
        PixelReader guessed = show(new FramePicture(W, H, ScriptedFeed.grey(W, H), List.of(predicted), 2,
                Envelopes.nowMicros()));
        int dashed = count(guessed, x - 1, y0, x + 2, y1);
        assertThat(solid).isGreaterThan(2 * (y1 - y0));
        assertThat((double) dashed / solid).isBetween(0.4, 0.8); // dashes 3 line widths long, gaps 2
    }

    /** Seen in the demo: a line drawn from the top edge had its totals under the tile's badges. */
    @Test
    void aLinesTotalsSitAtItsLowerEndAwayFromTheBadges() throws Exception {
        double scale = 400.0 / H;
        int left = (int) Math.ceil((800 - W * scale) / 2);
        int x = (int) Math.round(320 * scale) + left;
        PixelReader r = show(new FramePicture(W, H, ScriptedFeed.grey(W, H), List.of(new Shape(Shape.Kind.LINE,
                new double[]{320, 320}, new double[]{0, 480}, "door: in 48 out 41", 0xffc107)), 1, Envelopes.nowMicros()));
        int band = 60; // the name and state badges' rows
        assertThat(count(r, x + 4, 0, 800 - left, band)).as("beside the line, top").isZero();
        assertThat(count(r, x + 4, 400 - band, 800 - left, 400)).as("beside the line, bottom").isGreaterThan(200);
    }

    @Test
    void overlaysStayInsideThePictureNeverInTheLetterboxBars() throws Exception {
        // 640x480 in 800x400: the picture is 533 px wide, bars of 133 px left and right
        double scale = 400.0 / H;
        int bar = (int) Math.floor((800 - W * scale) / 2);
        // boxes and a label reaching far outside the frame on both sides
        List<Shape> shapes = List.of(box(-200, 50, 200, 300, "#12"), box(500, 100, 900, 460, "#13"),
                new Shape(Shape.Kind.LINE, new double[]{-300, 1000}, new double[]{240, 240}, "door", 0xffc107));
        PixelReader r = show(new FramePicture(W, H, ScriptedFeed.grey(W, H), shapes, 1, Envelopes.nowMicros()));
        assertThat(count(r, 0, 0, bar - 1, 400)).as("left bar").isZero();
        assertThat(count(r, 800 - bar + 1, 0, 800, 400)).as("right bar").isZero();
        assertThat(count(r, bar + 1, 0, 800 - bar - 1, 400)).as("the picture").isGreaterThan(500);
    }

    @Test
    void labelsSitOnAContrastingPatchAndGrowWithTheTile() throws Exception {
        List<Shape> boxes = List.of(box(200, 200, 300, 400, "#7"));
        fx(() -> {
            root.setMaxSize(320, 240);
            tile.setMaxSize(320, 240);
            return null;
        });
        WaitForAsyncUtils.waitForFxEvents();
        PixelReader small = show(new FramePicture(W, H, ScriptedFeed.grey(W, H), boxes, 1, Envelopes.nowMicros()));
        double smallPx = fx(tile::labelPx);
        int smallPatch = patchHeight(small, 200, 200);
        fx(() -> {
            tile.setMaxSize(Double.MAX_VALUE, Double.MAX_VALUE);
            root.setMaxSize(Double.MAX_VALUE, Double.MAX_VALUE);
            tile.getScene().getWindow().setWidth(1200);
            tile.getScene().getWindow().setHeight(900);
            return null;
        });
        WaitForAsyncUtils.waitForFxEvents();
        PixelReader big = show(new FramePicture(W, H, ScriptedFeed.grey(W, H), boxes, 2, Envelopes.nowMicros()));
        double bigPx = fx(tile::labelPx);
        int bigPatch = patchHeight(big, 200, 200);
        assertThat(smallPx).isGreaterThanOrEqualTo(OverlayPainter.MIN_LABEL_PX);
        assertThat(fx(tile::getHeight)).isGreaterThan(800.0);
        assertThat(bigPx).isGreaterThan(smallPx * 2);
        assertThat(bigPatch).isGreaterThan(smallPatch);
        assertThat(smallPatch).isGreaterThanOrEqualTo((int) smallPx);
        // a green label gets black text, not green on green
        assertThat(OverlayPainter.textOn(GREEN)).isEqualTo(Color.BLACK);
        assertThat(OverlayPainter.textOn(0x1a237e)).isEqualTo(Color.WHITE);
    }

    /** Height of the solid label patch above the box whose top-left corner is frame (fx, fy). */
    int patchHeight(PixelReader r, double fx, double fy) throws Exception {
        double[] corner = fx(() -> tile.toTile(fx, fy));
        int x = (int) Math.round(corner[0]) + 1;
        int n = 0;
        for (int y = (int) Math.round(corner[1]) - 2; y > 0; y--) {
            Color c = r.getColor(x, y);
            boolean green = Math.abs(c.getGreen() - 0xaf / 255.0) < 0.05 && c.getOpacity() > 0.95
                    && Math.abs(c.getRed() - 0x4c / 255.0) < 0.05;
            if (!green) {
                break;
            }
            n++;
        }
        return n;
    }

    @Test
    void anOfflineStreamShowsItOnTheTileWithTheAgeOfItsLastFrame() throws Exception {
        long now = System.currentTimeMillis();
        feed.picture = new FramePicture(W, H, ScriptedFeed.grey(W, H), List.of(), 9, (now - 7_000) * 1000);
        feed.snapshot = new FeedSnapshot("agent-1", "OFFLINE", "no result for 7 s", 0, 0, 0, 0, 0, 0, 0, Map.of(),
                Map.of(), 0, 0, false);
        fx(() -> {
            ModelProbe.pulse(vm, now, Set.of());
            tile.update(true);
            tile.applyCss();
            return null;
        });
        assertThat(fx(() -> vm.healthProperty().get())).isEqualTo(StreamHealth.OFFLINE);
        assertThat(fx(() -> tile.healthBadge().isVisible())).isTrue();
        assertThat(fx(() -> tile.healthBadge().getText())).contains("OFFLINE").contains("last frame 7 s ago");
        assertThat(fx(() -> tile.getBorder().getStrokes().get(0).getTopStroke())).isEqualTo(Color.web("#e53935"));
        // frames answered again, but the last one is 4 s old: stalled, its own colour
        feed.snapshot = feed.snapshot.withStatus("LIVE", "on agent-1");
        fx(() -> {
            ModelProbe.pulse(vm, now - 3_000 + 4_000, Set.of());
            tile.applyCss();
            return null;
        });
        assertThat(fx(() -> vm.healthProperty().get())).isEqualTo(StreamHealth.STALLED);
        assertThat(fx(() -> tile.healthBadge().getText())).contains("STALLED").contains("last frame 8 s ago");
        assertThat(fx(() -> tile.getBorder().getStrokes().get(0).getTopStroke())).isEqualTo(Color.web("#ffd54f"));
        // and live: no badge, the ordinary border
        feed.picture = new FramePicture(W, H, ScriptedFeed.grey(W, H), List.of(), 10, now * 1000);
        fx(() -> {
            ModelProbe.pulse(vm, now, Set.of());
            tile.applyCss();
            return null;
        });
        assertThat(fx(() -> vm.healthProperty().get())).isEqualTo(StreamHealth.LIVE);
        assertThat(fx(() -> tile.healthBadge().isVisible())).isFalse();
        assertThat(fx(() -> tile.getBorder().getStrokes().get(0).getTopStroke())).isEqualTo(Color.web("#2b3038"));
    }
}
