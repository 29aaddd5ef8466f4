package io.argus.agent.task.people;

import org.opencv.core.Rect;

import java.util.ArrayList;
import java.util.List;

/**
 * The periodic full-picture search, cut into horizontal bands by the learned perspective
 * ({@link PerspectiveHeight}) instead of one pyramid over the whole frame.
 *
 * <p>Why: a single pyramid must start at the scale of the smallest person anywhere (the far rows,
 * often upscaled 2x) and descend to the largest, so it searches the near rows at scales where
 * nobody there can be and the whole frame at scales only the far rows need. On the 768x576 sample
 * one such pass cost about 600 ms, 30% of the task's time at one pass every 8 s (BENCHMARKS.md,
 * issue 15). Where the camera's perspective is known, a person whose feet are on row {@code y}
 * is between {@link PerspectiveHeight#smallest} and {@link PerspectiveHeight#largest} tall, so:
 * <ul>
 *   <li>the foot rows are cut into bands within which the smallest expected person grows by at
 *       most {@link #BAND_GROWTH} (the ratio of scales {@link Regions} already treats as one scale);</li>
 *   <li>each band is searched at the scale of its smallest person, over the full width and the
 *       rows from the head of the tallest person standing anywhere in it to its lowest foot row,
 *       plus the window's margin around a person ({@link PersonExtent}: a sixth of the person above
 *       and below) and HOG's padding;</li>
 *   <li>its pyramid ends where the band is shorter than the detector's window, that is at about
 *       the tallest person it can hold.</li>
 * </ul>
 * Bands overlap (a band's tall people reach up into the band above); non-maximum suppression
 * removes the double finds, as it does for overlapping motion regions.
 */
final class PerspectiveBands {
    /** Growth of the smallest expected person across one band: {@link Regions}' "same scale" ratio. */
    static final double BAND_GROWTH = 1.3;
    /** HOG's padding around a searched image, in pixels at the region's scale. */
    static final double PADDING_PX = 8;
    /** The window's margin above and below the person, as a fraction of the person's height. */
    static final double WINDOW_MARGIN = PersonExtent.WINDOW_MARGIN / PersonExtent.WINDOW_PERSON_HEIGHT;

    private PerspectiveBands() {
    }

    /**
     * Search regions covering every foot row of a {@code w x h} frame.
     *
     * @param floorPx the configured smallest person ({@code minHeight}): where the people seen
     *                stood on too few rows to tell a slope, their mean height says nothing of the
     *                people elsewhere, and the whole frame is searched down to the smaller of the two
     */
    static List<SearchRegion> of(PerspectiveHeight heights, int w, int h, double floorPx) {
        if (!heights.sloped(h)) {
            double smallest = Math.min(floorPx, heights.smallest(0, h));
            return List.of(new SearchRegion(new Rect(0, 0, w, h), Math.max(1, Regions.scaleFor(smallest))));
        }
        List<SearchRegion> out = new ArrayList<>();
        int top = 0;
        while (top < h) {
            double first = Regions.scaleFor(heights.smallest(top, h));
            double minPerson = heights.smallest(top, h);
            int bottom = top + 1;
            // the band ends at the first foot row whose scale differs by BAND_GROWTH (scales are
            // capped, so the far rows that all need the largest scale are one band; a camera
            // looking up has people shrink downwards), once it is a quarter of a person tall,
            // so that a nearly flat fit gives few bands
            while (bottom < h) {
                double ratio = Regions.scaleFor(heights.smallest(bottom, h)) / first;
                boolean sameScale = ratio < BAND_GROWTH && ratio > 1 / BAND_GROWTH;
                if (!sameScale && bottom - top >= minPerson / 4) {
                    break;
                }
                minPerson = Math.min(minPerson, heights.smallest(bottom, h));
                bottom++;
            }
            double scale = Regions.scaleFor(minPerson);
            double padding = PADDING_PX / scale;
            double tallest = Math.max(heights.largest(top, h), heights.largest(bottom, h));
            int y0 = (int) Math.max(0, Math.floor(top - tallest * (1 + WINDOW_MARGIN) - padding));
            int y1 = (int) Math.min(h, Math.ceil(bottom + tallest * WINDOW_MARGIN + padding));
            if (y1 - y0 >= 8) {
                out.add(new SearchRegion(new Rect(0, y0, w, y1 - y0), scale));
            }
            top = bottom;
        }
        return out;
    }
}
