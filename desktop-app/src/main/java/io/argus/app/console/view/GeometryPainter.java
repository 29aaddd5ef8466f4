package io.argus.app.console.view;

import io.argus.app.console.model.Geometry;
import io.argus.app.console.model.GeometryEditor;
import io.argus.task.api.people.CountingLine;
import io.argus.task.api.people.Zone;
import io.argus.task.geom.Pt;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import org.jspecify.annotations.Nullable;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Paints the {@link GeometryEditor}'s draft on a tile's editing layer: every line with its name,
 * the arrow to its "in" side and the words "in" and "out" on the two sides (so the direction is
 * plain while drawing and after a reverse), every zone with its name, the handles of the selected
 * shape, and the line or zone being drawn, dashed. Clipped to the picture, like the overlays.
 */
final class GeometryPainter {
    static final int LINE_RGB = 0x00e5ff;
    static final int ZONE_RGB = 0xffd54f;
    static final int SELECTED_RGB = 0xff4081;
    /** Half the side of a handle, in tile pixels: also the pointer's hit tolerance. */
    static final double HANDLE_PX = 6;

    private GeometryPainter() {
    }

    /**
     * Everything a painting depends on: the tile and its size, where the picture sits in it, the
     * draft, the selection, the points being drawn and the tool. Equal keys paint the same pixels.
     */
    record PaintKey(TileView tile, double width, double height, double @Nullable [] origin, double @Nullable [] corner,
                    Geometry draft, GeometryEditor.@Nullable Selection selected, List<Pt> pending,
                    GeometryEditor.Tool tool) {
        static PaintKey of(TileView tile, GeometryEditor editor) {
            double[] size = tile.frameSize();
            return new PaintKey(tile, tile.getWidth(), tile.getHeight(), tile.toTile(0, 0),
                    size == null ? null : tile.toTile(size[0], size[1]), editor.draftProperty().get(),
                    editor.selectedProperty().get(), List.copyOf(editor.pendingProperty().get()),
                    editor.toolProperty().get());
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof PaintKey k && tile == k.tile && width == k.width && height == k.height
                    && Arrays.equals(origin, k.origin) && Arrays.equals(corner, k.corner) && draft.equals(k.draft)
                    && Objects.equals(selected, k.selected) && pending.equals(k.pending) && tool == k.tool;
        }

        @Override
        public int hashCode() {
            return Objects.hash(System.identityHashCode(tile), width, height, Arrays.hashCode(origin),
                    Arrays.hashCode(corner), draft, selected, pending, tool);
        }
    }

    /**
     * Paints unless {@code last} says the same pixels are already there; returns what was painted.
     * Detail calls this on every pulse: a repaint of an unchanged drawing each frame was wasted work.
     */
    static PaintKey paintIfChanged(TileView tile, GeometryEditor editor, @Nullable PaintKey last) {
        PaintKey now = PaintKey.of(tile, editor);
        if (!now.equals(last)) {
            paint(tile, editor);
        }
        return now;
    }

    static void paint(TileView tile, GeometryEditor editor) {
        GraphicsContext g = tile.editCanvas().getGraphicsContext2D();
        g.clearRect(0, 0, tile.getWidth(), tile.getHeight());
        double[] size = tile.frameSize();
        double[] origin = tile.toTile(0, 0);
        double[] corner = size == null ? null : tile.toTile(size[0], size[1]);
        if (size == null || origin == null || corner == null) {
            return;
        }
        g.save();
        g.beginPath();
        g.rect(origin[0], origin[1], corner[0] - origin[0], corner[1] - origin[1]);
        g.closePath();
        g.clip();
        double px = OverlayPainter.labelPx(corner[1] - origin[1]);
        Font font = Font.font("System", FontWeight.BOLD, px);
        g.setFont(font);
        Geometry d = editor.draftProperty().get();
        GeometryEditor.Selection sel = editor.selectedProperty().get();
        for (Zone z : d.zones()) {
            boolean selected = sel != null && sel.kind() == GeometryEditor.Kind.ZONE && sel.name().equals(z.name());
            zone(g, tile, z, selected ? SELECTED_RGB : ZONE_RGB, font, selected);
        }
        for (CountingLine l : d.lines()) {
            boolean selected = sel != null && sel.kind() == GeometryEditor.Kind.LINE && sel.name().equals(l.name());
            line(g, tile, l, selected ? SELECTED_RGB : LINE_RGB, font, selected);
        }
        pending(g, tile, editor.pendingProperty().get(), editor.toolProperty().get());
        g.restore();
    }

    private static void line(GraphicsContext g, TileView tile, CountingLine l, int rgb, Font font, boolean selected) {
        double[] a = tile.toTile(l.p1().x(), l.p1().y());
        double[] b = tile.toTile(l.p2().x(), l.p2().y());
        if (a == null || b == null) {
            return;
        }
        Color c = color(rgb);
        g.setStroke(c);
        g.setFill(c);
        g.setLineWidth(selected ? 4 : 3);
        g.strokeLine(a[0], a[1], b[0], b[1]);
        OverlayPainter.arrowToInSide(g, a[0], a[1], b[0], b[1]);
        outLabel(g, a, b);
        OverlayPainter.label(g, font, l.name(), a[0] + 6, a[1] + 4, rgb);
        if (selected) {
            handle(g, a);
            handle(g, b);
        }
    }

    /** "out" on the side opposite the arrow's "in" (see {@link OverlayPainter#arrowToInSide}). */
    private static void outLabel(GraphicsContext g, double[] a, double[] b) {
        double len = Math.hypot(b[0] - a[0], b[1] - a[1]);
        if (len < 1) {
            return;
        }
        double nx = -(b[1] - a[1]) / len;
        double ny = (b[0] - a[0]) / len;
        double reach = Math.min(40, len / 4) + 10;
        g.fillText("out", (a[0] + b[0]) / 2 - nx * reach - 8, (a[1] + b[1]) / 2 - ny * reach + 4);
    }

    private static void zone(GraphicsContext g, TileView tile, Zone z, int rgb, Font font, boolean selected) {
        double[][] xy = onTile(tile, z.polygon().points());
        if (xy == null) {
            return;
        }
        double[] xs = xy[0];
        double[] ys = xy[1];
        Color c = color(rgb);
        g.setStroke(c);
        g.setLineWidth(selected ? 4 : 2.5);
        g.strokePolygon(xs, ys, xs.length);
        g.setFill(c.deriveColor(0, 1, 1, 0.15));
        g.fillPolygon(xs, ys, xs.length);
        OverlayPainter.label(g, font, z.name(), xs[0] + 4, ys[0] + 4, rgb);
        if (selected) {
            for (int i = 0; i < xs.length; i++) {
                handle(g, new double[]{xs[i], ys[i]});
            }
        }
    }

    private static void pending(GraphicsContext g, TileView tile, List<Pt> pts, GeometryEditor.Tool tool) {
        double[][] xy = pts.isEmpty() ? null : onTile(tile, pts);
        if (xy == null) {
            return;
        }
        double[] xs = xy[0];
        double[] ys = xy[1];
        Color c = color(tool == GeometryEditor.Tool.ZONE ? ZONE_RGB : LINE_RGB);
        g.setStroke(c);
        g.setFill(c);
        g.setLineWidth(2);
        g.setLineDashes(6);
        g.strokePolyline(xs, ys, xs.length);
        g.setLineDashes(null);
        if (tool == GeometryEditor.Tool.LINE && xs.length == 2) {
            // the direction shows while drawing: "in" is where the arrow points
            OverlayPainter.arrowToInSide(g, xs[0], ys[0], xs[1], ys[1]);
            outLabel(g, new double[]{xs[0], ys[0]}, new double[]{xs[1], ys[1]});
        } else {
            for (int i = 0; i < xs.length; i++) {
                handle(g, new double[]{xs[i], ys[i]});
            }
        }
    }

    /** Source points as tile points, {xs, ys}; null before the first picture. */
    private static double @Nullable [][] onTile(TileView tile, List<Pt> pts) {
        double[] xs = new double[pts.size()];
        double[] ys = new double[pts.size()];
        for (int i = 0; i < pts.size(); i++) {
            double[] t = tile.toTile(pts.get(i).x(), pts.get(i).y());
            if (t == null) {
                return null;
            }
            xs[i] = t[0];
            ys[i] = t[1];
        }
        return new double[][]{xs, ys};
    }

    private static void handle(GraphicsContext g, double @Nullable [] p) {
        if (p == null) {
            return;
        }
        g.setFill(Color.WHITE);
        g.fillRect(p[0] - HANDLE_PX, p[1] - HANDLE_PX, 2 * HANDLE_PX, 2 * HANDLE_PX);
        g.setStroke(Color.BLACK);
        g.setLineWidth(1.5);
        g.strokeRect(p[0] - HANDLE_PX, p[1] - HANDLE_PX, 2 * HANDLE_PX, 2 * HANDLE_PX);
    }

    private static Color color(int rgb) {
        return Color.rgb((rgb >> 16) & 0xff, (rgb >> 8) & 0xff, rgb & 0xff);
    }
}
