package io.argus.agent.task.people;

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
