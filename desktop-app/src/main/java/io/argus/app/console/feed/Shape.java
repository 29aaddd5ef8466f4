package io.argus.app.console.feed;

/**
 * A drawable overlay in frame coordinates, prepared off the JavaFX thread from a result. The view
 * only scales and strokes it.
 *
 * @param kind   BOX, LINE, POLYGON or TEXT
 * @param xs     x coordinates (BOX: x, x + w; LINE/POLYGON: the points; TEXT: the anchor)
 * @param ys     y coordinates
 * @param label  text to draw next to it
 * @param rgb    colour 0xRRGGBB
 */
public record Shape(Kind kind, double[] xs, double[] ys, String label, int rgb) {
    public enum Kind { BOX, LINE, POLYGON, TEXT }
}
