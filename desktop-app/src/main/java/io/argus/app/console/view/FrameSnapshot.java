package io.argus.app.console.view;

import io.argus.app.console.feed.FramePicture;
import io.argus.app.console.model.OverlayFreshness;
import javafx.scene.SnapshotParameters;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A snapshot of a stream: the picture on its tile at the source's resolution (not the tile's size),
 * with the overlays drawn exactly as the tile judges them ({@link OverlayFreshness}). Rendering
 * needs the JavaFX thread and takes a few milliseconds; encoding and writing the PNG do not, and
 * run elsewhere ({@link #writePng}).
 */
final class FrameSnapshot {
    /** Opaque ARGB pixels of the rendered snapshot. */
    record Pixels(int width, int height, int[] argb) {
    }

    private FrameSnapshot() {
    }

    /** Renders {@code p} with its overlays at its own resolution (JavaFX thread). */
    static Pixels render(FramePicture p, long nowUs) {
        int w = p.width();
        int h = p.height();
        WritableImage frame = new WritableImage(w, h);
        frame.getPixelWriter().setPixels(0, 0, w, h, PixelFormat.getIntArgbPreInstance(), p.argb(), 0, w);
        Canvas c = new Canvas(w, h);
        GraphicsContext g = c.getGraphicsContext2D();
        g.drawImage(frame, 0, 0);
        OverlayPainter.paintJudged(g, p.shapes(), OverlayFreshness.of(p, nowUs), 1, 0, 0, w, h);
        WritableImage out = c.snapshot(new SnapshotParameters(), null);
        int[] argb = new int[w * h];
        out.getPixelReader().getPixels(0, 0, w, h, PixelFormat.getIntArgbInstance(), argb, 0, w);
        return new Pixels(w, h, argb);
    }

    /** Writes the pixels as a PNG (any thread but the JavaFX one: it compresses and writes to disk). */
    static void writePng(Pixels px, Path file) throws IOException {
        BufferedImage img = new BufferedImage(px.width(), px.height(), BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, px.width(), px.height(), px.argb(), 0, px.width());
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        if (!ImageIO.write(img, "png", tmp.toFile())) {
            throw new IOException("no PNG writer");
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
