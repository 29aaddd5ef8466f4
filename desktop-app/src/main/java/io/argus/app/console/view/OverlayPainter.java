package io.argus.app.console.view;

import io.argus.app.console.feed.Shape;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;

import java.util.List;

/** Strokes prepared overlay shapes onto a canvas at a scale and offset (the JavaFX thread's only overlay work). */
final class OverlayPainter {
    private OverlayPainter() {
    }

    static void paint(GraphicsContext g, List<Shape> shapes, double scale, double dx, double dy) {
        g.setFont(Font.font(Math.max(10, 13 * Math.min(1.4, scale * 1.2))));
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
            switch (s.kind()) {
                case BOX -> {
                    g.setLineWidth(2);
                    g.strokeRect(xs[0], ys[0], xs[1] - xs[0], ys[1] - ys[0]);
                    if (!s.label().isEmpty()) {
                        g.fillText(s.label(), xs[0], Math.max(12, ys[0] - 3));
                    }
                }
                case LINE -> {
                    g.setLineWidth(3);
                    g.strokePolyline(xs, ys, xs.length);
                    if (xs.length == 2) {
                        arrowToInSide(g, xs[0], ys[0], xs[1], ys[1]);
                    }
                    if (!s.label().isEmpty()) {
                        g.fillText(s.label(), xs[0] + 6, Math.max(14, ys[0] + 16));
                    }
                }
                case POLYGON -> {
                    g.setLineWidth(2);
                    g.strokePolygon(xs, ys, xs.length);
                    g.setGlobalAlpha(0.12);
                    g.fillPolygon(xs, ys, xs.length);
                    g.setGlobalAlpha(1);
                    if (!s.label().isEmpty()) {
                        g.fillText(s.label(), xs[0] + 4, ys[0] + 14);
                    }
                }
                case TEXT -> g.fillText(s.label(), xs[0], Math.max(12, ys[0] - 4));
                default -> {
                }
            }
        }
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
