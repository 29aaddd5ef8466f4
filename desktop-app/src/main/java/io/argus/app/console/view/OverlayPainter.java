package io.argus.app.console.view;

import io.argus.app.console.feed.Shape;
import io.argus.app.console.model.OverlayFreshness;
import javafx.geometry.VPos;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import javafx.scene.shape.StrokeLineCap;
import javafx.scene.text.Text;
import javafx.scene.text.TextAlignment;

import java.util.List;

/**
 * Strokes prepared overlay shapes onto a canvas at a scale and offset (the JavaFX thread's only
 * overlay work), clipped to the picture. Labels sit on a solid patch of their shape's colour with
 * black or white text, whichever contrasts (a green id on green grass was unreadable), at a size
 * that follows the picture's size on screen. A box the tracker predicts but nothing detected in its
 * frame (a person coasting through an occlusion) is dashed and labelled "predicted".
 */
final class OverlayPainter {
    /** Label size as a fraction of the picture's height on screen, and its bounds in pixels. */
    static final double LABEL_HEIGHT_FRACTION = 1 / 28.0;
    static final double MIN_LABEL_PX = 11;
    static final double MAX_LABEL_PX = 30;

    private OverlayPainter() {
    }

    /** Opacity of overlays judged stale. */
    static final double STALE_ALPHA = 0.4;

    /**
     * Paints overlays as {@code verdict} allows: not at all when hidden; faded, with the word
     * "stale" in the picture's top-right corner, when stale (the word says why the boxes are faint:
     * they may no longer match the picture). The tile and the snapshot both draw through here.
     */
    static void paintJudged(GraphicsContext g, List<Shape> shapes, OverlayFreshness.Verdict verdict, double scale,
                            double dx, double dy, double pw, double ph) {
        if (verdict == OverlayFreshness.Verdict.HIDDEN) {
            return;
        }
        boolean stale = verdict == OverlayFreshness.Verdict.STALE;
        double alpha = g.getGlobalAlpha();
        g.setGlobalAlpha(stale ? STALE_ALPHA : 1);
        paint(g, shapes, scale, dx, dy, pw, ph);
        g.setGlobalAlpha(alpha);
        if (stale) {
            double px = labelPx(ph);
            Font f = Font.font("System", FontWeight.BOLD, px);
            Text t = new Text("stale");
            t.setFont(f);
            label(g, f, "stale", dx + pw - t.getLayoutBounds().getWidth() - px, dy + 4, 0xb0bec5);
        }
    }

    /** Font size of the labels on a picture shown {@code pictureHeightPx} high. */
    static double labelPx(double pictureHeightPx) {
        return Math.max(MIN_LABEL_PX, Math.min(MAX_LABEL_PX, pictureHeightPx * LABEL_HEIGHT_FRACTION));
    }

    /** Black or white, whichever reads better on {@code rgb} (relative luminance, WCAG weights). */
    static Color textOn(int rgb) {
        double l = 0.2126 * lin((rgb >> 16) & 0xff) + 0.7152 * lin((rgb >> 8) & 0xff) + 0.0722 * lin(rgb & 0xff);
        // contrast with black (l + 0.05) / 0.05 against white 1.05 / (l + 0.05): equal at l ~ 0.179
        return l > 0.179 ? Color.BLACK : Color.WHITE;
    }

    private static double lin(int c) {
        double v = c / 255.0;
        return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    }

    /**
     * Paints {@code shapes} onto the picture that occupies {@code (dx, dy, pw, ph)} on the canvas at
     * {@code scale}; nothing is drawn outside that rectangle (the letterbox bars stay empty).
     */
    static void paint(GraphicsContext g, List<Shape> shapes, double scale, double dx, double dy, double pw, double ph) {
        g.save();
        g.beginPath();
        g.rect(dx, dy, pw, ph);
        g.closePath();
        g.clip();
        double px = labelPx(ph);
        Font font = Font.font("System", px);
        g.setFont(font);
        for (Shape s : shapes) {
            Color c = Color.rgb((s.rgb() >> 16) & 0xff, (s.rgb() >> 8) & 0xff, s.rgb() & 0xff);
            g.setStroke(c);
            g.setFill(c);
            double[] xs = new double[s.xs().length];
            double[] ys = new double[s.ys().length];
            for (int i = 0; i < xs.length; i++) {
                xs[i] = s.xs()[i] * scale + dx;
                ys[i] = s.ys()[i] * scale + dy;
            }
            double line = Math.max(2, px / 6);
            switch (s.kind()) {
                case BOX -> {
                    g.setLineWidth(line);
                    if (s.predicted()) {
                        // an estimate, not something seen in this picture: dashed, so that a box over
                        // an empty patch of ground does not read as a detection
                        // (butt ends: the default square caps would close most of each gap)
                        g.setLineDashes(line * 3, line * 2);
                        g.setLineCap(StrokeLineCap.BUTT);
                    }
                    g.strokeRect(xs[0], ys[0], xs[1] - xs[0], ys[1] - ys[0]);
                    g.setLineDashes();
                    g.setLineCap(StrokeLineCap.SQUARE);
                    // above the box, or inside its top edge when that would leave the picture
                    double h = px * 1.25;
                    double top = ys[0] - h >= dy ? ys[0] - h : Math.max(dy, ys[0]);
                    label(g, font, s.label(), Math.max(dx, xs[0]), top, s.rgb());
                }
                case LINE -> {
                    g.setLineWidth(line + 1);
                    g.strokePolyline(xs, ys, xs.length);
                    if (xs.length == 2) {
                        arrowToInSide(g, xs[0], ys[0], xs[1], ys[1]);
                    }
                    // at the end lower in the picture: a line drawn from the top edge had its totals
                    // under the tile's name and state badges, which sit at the top
                    int end = ys[ys.length - 1] > ys[0] ? ys.length - 1 : 0;
                    double ly = Math.min(ys[end] + 4, dy + ph - px * 1.25 - 2);
                    label(g, font, s.label(), Math.min(xs[end] + 6, dx + pw - labelWidth(font, s.label())), ly, s.rgb());
                }
                case POLYGON -> {
                    g.setLineWidth(line);
                    g.strokePolygon(xs, ys, xs.length);
                    g.setGlobalAlpha(g.getGlobalAlpha() * 0.12);
                    g.fillPolygon(xs, ys, xs.length);
                    g.setGlobalAlpha(g.getGlobalAlpha() / 0.12);
                    label(g, font, s.label(), xs[0] + 4, ys[0] + 4, s.rgb());
                }
                case TEXT -> label(g, font, s.label(), xs[0], ys[0] - px * 1.25, s.rgb());
                default -> {
                }
            }
        }
        g.restore();
    }

    /** The width of a label's patch: its text and the padding either side. */
    static double labelWidth(Font font, String text) {
        Text t = new Text(text);
        t.setFont(font);
        return t.getLayoutBounds().getWidth() + 2 * Math.max(2, font.getSize() / 5);
    }

    /** A label with its top-left corner at (x, y): a patch of {@code rgb} with contrasting text. */
    static void label(GraphicsContext g, Font font, String text, double x, double y, int rgb) {
        if (text.isEmpty()) {
            return;
        }
        double h = font.getSize() * 1.25;
        double pad = Math.max(2, font.getSize() / 5);
        g.setFill(Color.rgb((rgb >> 16) & 0xff, (rgb >> 8) & 0xff, rgb & 0xff));
        g.fillRect(x, y, labelWidth(font, text), h);
        g.setFill(textOn(rgb));
        g.setTextAlign(TextAlignment.LEFT);
        g.setTextBaseline(VPos.TOP);
        g.fillText(text, x + pad, y + font.getSize() * 0.1);
        g.setTextBaseline(VPos.BASELINE);
    }

    /**
     * An arrow from the middle of the line to its "in" side: the side where
     * s = (x2-x1)(y-y1) - (y2-y1)(x-x1) is positive, i.e. the normal (-(y2-y1), x2-x1).
     */
    static void arrowToInSide(GraphicsContext g, double x1, double y1, double x2, double y2) {
        double len = Math.hypot(x2 - x1, y2 - y1);
        if (len < 1) {
            return;
        }
        double nx = -(y2 - y1) / len;
        double ny = (x2 - x1) / len;
        double mx = (x1 + x2) / 2;
        double my = (y1 + y2) / 2;
        double a = Math.min(40, len / 4);
        double tx = mx + nx * a;
        double ty = my + ny * a;
        g.strokeLine(mx, my, tx, ty);
        double ux = (x2 - x1) / len;
        double uy = (y2 - y1) / len;
        double h = a * 0.35;
        g.strokeLine(tx, ty, tx - nx * h + ux * h * 0.6, ty - ny * h + uy * h * 0.6);
        g.strokeLine(tx, ty, tx - nx * h - ux * h * 0.6, ty - ny * h - uy * h * 0.6);
        g.fillText("in", tx + nx * 6, ty + ny * 6);
    }
}
