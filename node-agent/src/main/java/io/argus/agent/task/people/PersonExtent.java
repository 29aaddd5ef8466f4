package io.argus.agent.task.people;

import io.argus.task.geom.BoxF;

/**
 * The person inside a window of the Dalal-Triggs HOG detector. Its 64x128 window was trained on
 * people normalised to 96 px tall with "about 16 pixels of margin around the person on all four
 * sides" (Dalal and Triggs, CVPR 2005, sec. 6.4, the INRIA person crops; OpenCV's default people
 * detector is that model). So a window of any size holds a person inset by a quarter of its width
 * on the left and right and an eighth of its height above and below: 32x96 of 64x128.
 *
 * <p>Applied once, where detections are made: tracks, foot points, overlays, events and MOT
 * output all see the person, never the window. (The window's bottom is 16 px / 96 px = a sixth of
 * a person below the feet, which is where a line judges the foot point.)
 */
public final class PersonExtent {
    /** The detector's window, in training pixels. */
    public static final double WINDOW_WIDTH = 64;
    public static final double WINDOW_HEIGHT = 128;
    /** Margin around the person on every side of the window, in training pixels. */
    public static final double WINDOW_MARGIN = 16;
    /** The height of the person a window holds, in training pixels (96). */
    public static final double WINDOW_PERSON_HEIGHT = WINDOW_HEIGHT - 2 * WINDOW_MARGIN;

    private PersonExtent() {
    }

    /** The person's box inside a detection window at {@code (x, y)} of size {@code w x h}, in the same pixels. */
    public static BoxF ofHogWindow(double x, double y, double w, double h) {
        double mx = w * WINDOW_MARGIN / WINDOW_WIDTH;
        double my = h * WINDOW_MARGIN / WINDOW_HEIGHT;
        return new BoxF(x + mx, y + my, w - 2 * mx, h - 2 * my);
    }
}
