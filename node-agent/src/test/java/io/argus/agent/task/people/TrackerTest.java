package io.argus.agent.task.people;

import io.argus.task.geom.BoxF;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TrackerTest {
    static float[] colour(int bin) {
        float[] h = new float[Appearance.H_BINS * Appearance.S_BINS];
        Arrays.fill(h, 0.002f);
        h[bin] = 1 - 0.002f * (h.length - 1);
        return h;
    }

    @Test
    void twoPeopleWalkingPastEachOtherKeepTheirIds() {
        Tracker tr = new Tracker(Tracker.TrackerConfig.DEFAULT);
        float[] red = colour(1);
        float[] blue = colour(40);
        long redId = 0;
        long blueId = 0;
        for (int f = 0; f < 60; f++) {
            double xr = 100 + f * 5;   // left to right
            double xb = 400 - f * 5;   // right to left: they meet at frame 30
            List<Detection> d = new ArrayList<>();
            d.add(new Detection(new BoxF(xr, 200, 40, 100), 1, red));
            d.add(new Detection(new BoxF(xb, 204, 40, 100), 1, blue));
            tr.update(d, f);
            for (Track t : tr.tracks) {
                if (!t.confirmed()) {
                    continue;
                }
                boolean isRed = Appearance.distance(t.appearance, red) < 0.3;
                if (f == 10) {
                    if (isRed) {
                        redId = t.id;
                    } else {
                        blueId = t.id;
                    }
                }
                if (f == 59) {
                    // after crossing, the id that followed red is still on the red person (x = 395)
                    assertThat(t.id).isEqualTo(isRed ? redId : blueId);
                    assertThat(t.box().cx()).isCloseTo(isRed ? 395 + 20 : 105 + 20, Offset.offset(15.0));
                }
            }
        }
        assertThat(redId).isNotZero().isNotEqualTo(blueId);
        assertThat(tr.tracks.stream().filter(Track::confirmed).count()).isEqualTo(2);
    }

    @Test
    void aShortOcclusionKeepsTheId() {
        Tracker tr = new Tracker(Tracker.TrackerConfig.DEFAULT);
        float[] c = colour(5);
        long id = 0;
        for (int f = 0; f < 40; f++) {
            boolean hidden = f >= 15 && f < 23; // eight frames behind a post
            List<Detection> d = hidden ? List.of() : List.of(new Detection(new BoxF(100 + f * 4, 200, 40, 100), 1, c));
            tr.update(d, f);
            if (f == 14) {
                id = tr.tracks.get(0).id;
            }
        }
        assertThat(id).isNotZero();
        assertThat(tr.tracks).hasSize(1);
        assertThat(tr.tracks.get(0).id).isEqualTo(id);
    }

    @Test
    void aSingleFalseDetectionNeverBecomesATrack() {
        Tracker tr = new Tracker(Tracker.TrackerConfig.DEFAULT);
        tr.update(List.of(new Detection(new BoxF(10, 10, 40, 100), 1)), 0);
        for (int f = 1; f < 5; f++) {
            tr.update(List.of(), f);
        }
        assertThat(tr.tracks).isEmpty();
        assertThat(tr.nextId).isEqualTo(1);
    }

    @Test
    void hungarianFindsTheCheapestAssignment() {
        double[][] cost = {{4, 1, 3}, {2, 0, 5}, {3, 2, 2}};
        assertThat(Hungarian.solve(cost, 1e6)).containsExactly(1, 0, 2);
        double[][] forbidden = {{1e6, 1e6}, {1, 1e6}};
        assertThat(Hungarian.solve(forbidden, 1e6)).containsExactly(-1, 0);
    }
}
