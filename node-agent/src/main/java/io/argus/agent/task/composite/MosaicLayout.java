package io.argus.agent.task.composite;

import org.opencv.core.Rect;

import java.util.ArrayList;
import java.util.List;

/**
 * Tile geometry of a wall of {@code W x H} pixels. Cells tile the canvas exactly: no gaps, no
 * overlaps, integer pixel edges (the last column or row takes the rounding remainder).
 *
 * <ul>
 *   <li>{@code grid}: the smallest near-square grid holding every tile (cols = ceil(sqrt(n)));</li>
 *   <li>{@code 1+5}: one large tile (2x2 cells of a 3x3 grid) and up to five small ones; with more
 *       than six tiles, one large tile (2x2 of a 4x4 grid) and up to twelve small ones;</li>
 * </ul>
 * Tiles are placed in priority order: pinned tiles first (the first pinned one gets the large
 * cell), then the others in the order they joined.
 */
public final class MosaicLayout {
    private MosaicLayout() {
    }

    public static List<Rect> cells(String layout, int n, int width, int height) {
        return switch (layout) {
            case "grid" -> grid(n, width, height);
            case "1+5" -> onePlus(n, width, height);
            default -> throw new IllegalArgumentException("unknown layout '" + layout + "': use grid or 1+5");
        };
    }

    static List<Rect> grid(int n, int w, int h) {
        List<Rect> out = new ArrayList<>();
        if (n <= 0) {
            return out;
        }
        int cols = (int) Math.ceil(Math.sqrt(n));
        int rows = (int) Math.ceil((double) n / cols);
        for (int i = 0; i < n; i++) {
            out.add(cell(i % cols, i / cols, 1, 1, cols, rows, w, h));
        }
        return out;
    }

    static List<Rect> onePlus(int n, int w, int h) {
        List<Rect> out = new ArrayList<>();
        if (n <= 0) {
            return out;
        }
        int g = n <= 6 ? 3 : 4;
        out.add(cell(0, 0, 2, 2, g, g, w, h));
        for (int y = 0; y < g && out.size() < Math.min(n, g * g - 3); y++) {
            for (int x = 0; x < g && out.size() < Math.min(n, g * g - 3); x++) {
                if (x < 2 && y < 2) {
                    continue;
                }
                out.add(cell(x, y, 1, 1, g, g, w, h));
            }
        }
        return out;
    }

    /** Cell spanning (cx, cy) to (cx + sx, cy + sy) in a cols x rows grid over w x h pixels. */
    static Rect cell(int cx, int cy, int sx, int sy, int cols, int rows, int w, int h) {
        int x0 = cx * w / cols;
        int y0 = cy * h / rows;
        int x1 = (cx + sx) * w / cols;
        int y1 = (cy + sy) * h / rows;
        return new Rect(x0, y0, x1 - x0, y1 - y0);
    }

    /** How many tiles a layout can show. */
    public static int capacity(String layout, int n) {
        return layout.equals("1+5") ? Math.min(n, n <= 6 ? 6 : 13) : n;
    }
}
