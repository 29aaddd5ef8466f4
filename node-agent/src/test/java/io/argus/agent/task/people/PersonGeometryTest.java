package io.argus.agent.task.people;

import io.argus.task.api.people.PeopleConfig;
import io.argus.task.geom.BoxF;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The window-to-person conversion and the learned perspective, on synthetic numbers. */
class PersonGeometryTest {
    @Test
    void aTrainingSizedWindowHoldsThe32By96PersonSixteenPixelsIn() {
        BoxF p = PersonExtent.ofHogWindow(100, 50, 64, 128);
        assertThat(p).isEqualTo(new BoxF(116, 66, 32, 96));
        assertThat(PersonExtent.WINDOW_PERSON_HEIGHT).isEqualTo(96);
    }

    @Test
    void aScaledWindowScalesItsMarginsWithIt() {
        // found at pyramid level 1.5 in a region upscaled by 2: a 96x192 window in that image
        BoxF p = PersonExtent.ofHogWindow(10, 20, 96, 192);
        assertThat(p.x()).isEqualTo(10 + 24);
        assertThat(p.y()).isEqualTo(20 + 24);
        assertThat(p.w()).isEqualTo(48);
        assertThat(p.h()).isEqualTo(144);
        // feet at the window's bottom minus an eighth of it
        assertThat(p.y() + p.h()).isEqualTo(20 + 192 - 24);
    }

    @Test
    void thePerspectiveFitRecoversAnAffineHeightAndItsSpread() {
        PerspectiveHeight h = new PerspectiveHeight();
        assertThat(h.trusted()).isFalse();
        // h = 20 + 0.15 y, +-4 px alternating (standard deviation 4)
        for (int i = 0; i < 400; i++) {
            double y = 150 + (i * 37) % 400;
            h.add(y, 20 + 0.15 * y + (i % 2 == 0 ? 4 : -4));
        }
        assertThat(h.trusted()).isTrue();
        assertThat(h.expected(200, 576)).isCloseTo(50, within(1.0));
        assertThat(h.expected(500, 576)).isCloseTo(95, within(1.0));
        assertThat(h.sigma(576)).isCloseTo(4, within(0.5));
        assertThat(h.smallest(500, 576)).isCloseTo(95 - 2 * 4, within(1.5));
    }

    @Test
    void peopleSeenOnOneRowOnlyGiveTheMeanHeightNotASlope() {
        PerspectiveHeight h = new PerspectiveHeight();
        for (int i = 0; i < 100; i++) {
            h.add(300 + (i % 3), 80 + (i % 5));
        }
        assertThat(h.expected(0, 576)).isCloseTo(82, within(1.0));
        assertThat(h.expected(576, 576)).isCloseTo(82, within(1.0));
        assertThat(h.smallest(0, 576)).isGreaterThanOrEqualTo(PerspectiveHeight.MIN_FRACTION * 82 - 1);
    }

    /** The default smallest person on a 576-row frame: {@code minHeight} 0.12. */
    static final double FLOOR = PeopleConfig.DEFAULT_MIN_HEIGHT * 576;

    /** h = 20 + 0.15 y +- 4 px: people 20 px tall at the top row and 106 px at the bottom of 576. */
    private static PerspectiveHeight slopedFloor() {
        PerspectiveHeight h = new PerspectiveHeight();
        for (int i = 0; i < 400; i++) {
            double y = 150 + (i * 37) % 400;
            h.add(y, 20 + 0.15 * y + (i % 2 == 0 ? 4 : -4));
        }
        return h;
    }

    @Test
    void theFullSearchBandsHoldEveryExpectedPersonWholeAtAScaleThatFitsThem() {
        PerspectiveHeight h = slopedFloor();
        List<SearchRegion> bands = PerspectiveBands.of(h, 768, 576, FLOOR);
        assertThat(bands).hasSizeBetween(3, 8);
        for (int foot = 0; foot < 576; foot += 4) {
            // a person of each expected height with feet on this row, in HOG's window (a sixth
            // of the person above and below), clipped to the frame as the detector's padding allows
            for (double person : new double[]{h.smallest(foot, 576), h.expected(foot, 576), h.largest(foot, 576)}) {
                double top = Math.max(0, foot - person * (1 + 1.0 / 6));
                double bottom = Math.min(576, foot + person / 6);
                boolean held = false;
                for (SearchRegion b : bands) {
                    double scale = b.scale();
                    boolean inside = b.rect().y <= top && b.rect().y + b.rect().height >= bottom
                            && b.rect().x == 0 && b.rect().width == 768;
                    // found at some level of the band's pyramid, which only shrinks: at its first
                    // level the person is at least the window's person (unless the scale is capped)
                    boolean fits = person * scale >= PersonExtent.WINDOW_PERSON_HEIGHT - 0.5 || scale == Regions.MAX_SCALE;
                    held |= inside && fits;
                }
                assertThat(held).as("a %.0f px person with feet on row %d", person, foot).isTrue();
            }
        }
    }

    @Test
    void theBandsSearchFewerPixelsThanOnePyramidOverTheWholeFrameFromTheFarRowsScale() {
        PerspectiveHeight h = slopedFloor();
        // what the full search did before: the whole frame from the smallest person's scale, step 1.05
        double whole = pyramidPixels(768, 576, Regions.scaleFor(h.smallest(0, 576)), 1.05);
        double bands = 0;
        for (SearchRegion b : PerspectiveBands.of(h, 768, 576, FLOOR)) {
            bands += pyramidPixels(b.rect().width, b.rect().height, b.scale(), PeopleConfig.DEFAULT_REGION_PYRAMID_STEP);
        }
        // 53% on this fit (the pixels of the far band's upscaling are most of it); measured on the
        // sample the full passes took 44% of their time before (BENCHMARKS.md, issue 15)
        assertThat(bands).isLessThan(0.6 * whole);
    }

    /** Pixels HOG scans over a pyramid: every level until the image is smaller than the window. */
    private static double pyramidPixels(double w, double h, double scale, double step) {
        double sum = 0;
        for (double s = scale; w * s >= 64 && h * s >= 128; s /= step) {
            sum += w * s * h * s;
        }
        return sum;
    }

    @Test
    void aFlatFitSearchesTheWholeFrameDownToTheConfiguredSmallestPerson() {
        // people seen on three neighbouring rows only: their mean height says nothing of other rows
        PerspectiveHeight h = new PerspectiveHeight();
        for (int i = 0; i < 100; i++) {
            h.add(300 + (i % 3), 96);
        }
        assertThat(h.sloped(576)).isFalse();
        List<SearchRegion> bands = PerspectiveBands.of(h, 768, 576, FLOOR);
        assertThat(bands).hasSize(1);
        assertThat(bands.get(0).rect().height).isEqualTo(576);
        assertThat(bands.get(0).scale()).isCloseTo(Regions.scaleFor(FLOOR), within(1e-9));
    }

    @Test
    void rowsAboveTheHorizonAreSearchedAtTheLargestScaleAndEveryBandHoldsItsOwnFootRows() {
        // a camera with the horizon in the picture: h = -40 + 0.3 y, people seen on rows 300-570,
        // so the fit is zero at row 133 and negative above it
        PerspectiveHeight h = new PerspectiveHeight();
        for (int i = 0; i < 400; i++) {
            double y = 300 + (i * 37) % 270;
            h.add(y, -40 + 0.3 * y + (i % 2 == 0 ? 3 : -3));
        }
        assertThat(h.smallest(0, 576)).isGreaterThanOrEqualTo(1);
        List<SearchRegion> bands = PerspectiveBands.of(h, 768, 576, FLOOR);
        assertThat(bands.get(0).scale()).isEqualTo(Regions.MAX_SCALE);
        int covered = 0;
        for (SearchRegion b : bands) {
            assertThat(b.scale()).isBetween(Regions.MIN_SCALE, Regions.MAX_SCALE);
            covered = Math.max(covered, b.rect().y + b.rect().height);
        }
        assertThat(covered).isEqualTo(576);
    }

    @Test
    void sumsThatAreNotNumbersAreNotTrusted() {
        PerspectiveHeight h = slopedFloor();
        assertThat(h.trusted()).isTrue();
        h.syh = Double.NaN; // as a damaged or hostile checkpoint could bring
        assertThat(h.trusted()).isFalse();
        PerspectiveHeight empty = slopedFloor();
        empty.n = 0;
        assertThat(empty.trusted()).isFalse();
    }

    @Test
    void aCoastingTrackCountsWhileItsPredictionIsInThePictureAndNotOnceItReachesTheEdge() {
        Track hidden = new Track(1, new Detection(new BoxF(300, 200, 40, 100), 1), 0);
        hidden.state = Track.State.CONFIRMED;
        hidden.misses = 10;
        Track leaving = new Track(2, new Detection(new BoxF(-5, 200, 40, 100), 1), 0);
        leaving.state = Track.State.CONFIRMED;
        leaving.misses = 1;
        Track seenAtEdge = new Track(3, new Detection(new BoxF(740, 200, 40, 100), 1), 0);
        seenAtEdge.state = Track.State.CONFIRMED;
        Track tentative = new Track(4, new Detection(new BoxF(400, 200, 40, 100), 1), 0);
        assertThat(Occupancy.present(List.of(hidden, leaving, seenAtEdge, tentative), 768, 576))
                .containsExactly(hidden, seenAtEdge);
    }
}
