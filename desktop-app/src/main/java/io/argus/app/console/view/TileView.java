package io.argus.app.console.view;

import io.argus.app.console.feed.FramePicture;
import io.argus.app.console.model.OverlayFreshness;
import io.argus.app.console.model.StreamHealth;
import io.argus.app.console.model.StreamViewModel;
import io.argus.protocol.Envelopes;
import javafx.css.PseudoClass;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.SnapshotParameters;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.Label;
import javafx.scene.image.ImageView;
import javafx.scene.image.PixelBuffer;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.Pane;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import org.jspecify.annotations.Nullable;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.imgcodecs.Imgcodecs;

import java.nio.IntBuffer;
import java.nio.file.Path;
import java.util.Locale;

/**
 * One live tile: the frame (a {@link WritableImage} over a {@link PixelBuffer}, updated at most
 * once per pulse from the view model's single-slot picture), the overlays on a canvas above it, and
 * a badge with the stream's agent, rate and latency or its trouble. A tile with a fresh event is
 * outlined; a stalled, offline, ended or shedding stream gets its own border colour (pseudo-class
 * named after its {@link StreamHealth}, colours in the stylesheet) and a badge with the age of its
 * last frame. Overlays are drawn only as {@link OverlayFreshness} allows, and only on the picture.
 */
public final class TileView extends StackPane {
    private final StreamViewModel vm;
    private final ImageView image = new ImageView();
    private final Canvas canvas = new Canvas();
    /** Above the overlays: the lines and zones being edited in Detail (empty elsewhere). */
    private final Canvas editCanvas = new Canvas();
    private final Pane overlayPane = new Pane(canvas, editCanvas);
    private @Nullable PixelBuffer<IntBuffer> buffer;
    private @Nullable WritableImage writable;
    private @Nullable FramePicture shown;
    private OverlayFreshness.Verdict verdict = OverlayFreshness.Verdict.HIDDEN;
    private double labelPx;
    private final Label healthBadge = new Label();

    public TileView(StreamViewModel vm) {
        this.vm = vm;
        getStyleClass().add("tile");
        image.setPreserveRatio(true);
        image.setSmooth(true);
        image.fitWidthProperty().bind(widthProperty());
        image.fitHeightProperty().bind(heightProperty());
        overlayPane.setMouseTransparent(true);
        Label name = new Label();
        name.textProperty().bind(vm.nameProperty());
        name.getStyleClass().add("tile-name");
        Label badge = new Label();
        badge.textProperty().bind(vm.badgeProperty());
        badge.getStyleClass().add("tile-badge");
        vm.statusProperty().addListener((o, a, b) -> {
            badge.getStyleClass().removeAll("status-live", "status-degraded", "status-offline", "status-moving");
            badge.getStyleClass().add("status-" + b.toLowerCase(Locale.ROOT));
        });
        Label counts = new Label();
        counts.textProperty().bind(vm.countsProperty());
        counts.getStyleClass().add("tile-counts");
        healthBadge.textProperty().bind(vm.healthBadgeProperty());
        healthBadge.getStyleClass().add("tile-health");
        healthBadge.visibleProperty().bind(vm.healthBadgeProperty().isNotEmpty());
        healthBadge.managedProperty().bind(healthBadge.visibleProperty());
        vm.healthProperty().addListener((o, a, b) -> {
            for (StreamHealth h : StreamHealth.values()) {
                pseudoClassStateChanged(PseudoClass.getPseudoClass(h.word()), h == b);
            }
        });
        pseudoClassStateChanged(PseudoClass.getPseudoClass(vm.healthProperty().get().word()), true);
        VBox labels = new VBox(2, name, badge, healthBadge, counts);
        labels.setAlignment(Pos.TOP_LEFT);
        labels.setPadding(new Insets(4));
        labels.setMouseTransparent(true);
        getChildren().addAll(image, overlayPane, labels);
        setMinSize(160, 120);
        vm.freshEventProperty().addListener((o, a, b) -> pseudoClassStateChanged(
                PseudoClass.getPseudoClass("event"), b));
    }

    public StreamViewModel viewModel() {
        return vm;
    }

    /** Shows the newest picture if it changed: called on the JavaFX thread once per pulse. */
    @SuppressWarnings("ReferenceEquality") // the picture object already shown: each frame is a new one
    public void update(boolean aligned) {
        FramePicture p = vm.picture(aligned);
        if (p == null || p == shown || getWidth() <= 0) {
            // the same picture, but the tile was resized or its overlays aged into another verdict
            if (shown != null && (canvas.getWidth() != getWidth() || canvas.getHeight() != getHeight()
                    || OverlayFreshness.of(shown, Envelopes.nowMicros()) != verdict)) {
                drawOverlays(shown);
            }
            return;
        }
        if (buffer == null || buffer.getWidth() != p.width() || buffer.getHeight() != p.height()) {
            buffer = new PixelBuffer<>(p.width(), p.height(), IntBuffer.allocate(p.width() * p.height()),
                    PixelFormat.getIntArgbPreInstance());
            writable = new WritableImage(buffer);
            image.setImage(writable);
        }
        IntBuffer b = buffer.getBuffer();
        b.clear();
        b.put(p.argb());
        buffer.updateBuffer(x -> null);
        shown = p;
        drawOverlays(p);
        vm.pictureShown(p.captureUs());
    }

    private void drawOverlays(FramePicture p) {
        double w = getWidth();
        double h = getHeight();
        canvas.setWidth(w);
        canvas.setHeight(h);
        GraphicsContext g = canvas.getGraphicsContext2D();
        g.clearRect(0, 0, w, h);
        double scale = Math.min(w / p.width(), h / p.height());
        double pw = p.width() * scale;
        double ph = p.height() * scale;
        double dx = (w - pw) / 2;
        double dy = (h - ph) / 2;
        verdict = OverlayFreshness.of(p, Envelopes.nowMicros());
        labelPx = OverlayPainter.labelPx(ph);
        OverlayPainter.paintJudged(g, p.shapes(), verdict, scale, dx, dy, pw, ph);
    }

    /** The picture on screen, with the overlays drawn on it (null before the first). */
    @Nullable FramePicture shownPicture() {
        return shown;
    }

    /** How the overlays of the picture on screen were last judged. */
    OverlayFreshness.Verdict overlayVerdict() {
        return verdict;
    }

    /** The label size the overlays were last drawn with. */
    double labelPx() {
        return labelPx;
    }

    Label healthBadge() {
        return healthBadge;
    }

    /** Frame coordinates of a point on this tile (for drawing lines with the mouse), or null outside the frame. */
    public double @Nullable [] toFrame(double x, double y) {
        if (shown == null) {
            return null;
        }
        double scale = Math.min(getWidth() / shown.width(), getHeight() / shown.height());
        double dx = (getWidth() - shown.width() * scale) / 2;
        double dy = (getHeight() - shown.height() * scale) / 2;
        double fx = (x - dx) / scale;
        double fy = (y - dy) / scale;
        return new double[]{Math.max(0, Math.min(shown.width(), fx)), Math.max(0, Math.min(shown.height(), fy))};
    }

    /** Tile coordinates of a frame point (the inverse of {@link #toFrame}), or null before the first frame. */
    public double @Nullable [] toTile(double fx, double fy) {
        if (shown == null) {
            return null;
        }
        double scale = Math.min(getWidth() / shown.width(), getHeight() / shown.height());
        double dx = (getWidth() - shown.width() * scale) / 2;
        double dy = (getHeight() - shown.height() * scale) / 2;
        return new double[]{fx * scale + dx, fy * scale + dy};
    }

    Canvas canvas() {
        return canvas;
    }

    /** The editing layer, sized to the tile. */
    Canvas editCanvas() {
        editCanvas.setWidth(getWidth());
        editCanvas.setHeight(getHeight());
        return editCanvas;
    }

    /** The picture's size in source pixels, or null before the first picture. */
    double @Nullable [] frameSize() {
        FramePicture p = shown;
        return p == null ? null : new double[]{p.width(), p.height()};
    }

    /** Source pixels per tile pixel (the inverse of the picture's scale), or 1 before the first picture. */
    double sourcePerTilePixel() {
        FramePicture p = shown;
        if (p == null || getWidth() <= 0 || getHeight() <= 0) {
            return 1;
        }
        return 1 / Math.min(getWidth() / p.width(), getHeight() / p.height());
    }

    /** The tile as seen, overlays included, as a PNG. */
    public void snapshotPng(Path file) {
        WritableImage img = snapshot(new SnapshotParameters(), null);
        int w = (int) img.getWidth();
        int h = (int) img.getHeight();
        int[] argb = new int[w * h];
        img.getPixelReader().getPixels(0, 0, w, h, PixelFormat.getIntArgbInstance(), argb, 0, w);
        byte[] bgr = new byte[w * h * 3];
        for (int i = 0; i < argb.length; i++) {
            bgr[i * 3] = (byte) argb[i];
            bgr[i * 3 + 1] = (byte) (argb[i] >> 8);
            bgr[i * 3 + 2] = (byte) (argb[i] >> 16);
        }
        Mat m = new Mat(h, w, CvType.CV_8UC3);
        try {
            m.put(0, 0, bgr);
            Imgcodecs.imwrite(file.toString(), m);
        } finally {
            m.release();
        }
    }
}
