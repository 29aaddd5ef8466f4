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
 * @param predicted a box the tracker predicts but nothing detected in this frame: drawn as an estimate
 */
public record Shape(Kind kind, double[] xs, double[] ys, String label, int rgb, boolean predicted) {
    public enum Kind { BOX, LINE, POLYGON, TEXT }

    /** A shape seen in its frame. */
    public Shape(Kind kind, double[] xs, double[] ys, String label, int rgb) {
        this(kind, xs, ys, label, rgb, false);
    }
}
