package io.argus.agent.task.people;

import io.argus.task.geom.BoxF;

import java.util.ArrayList;
import java.util.List;

/**
 * The people present in a frame: confirmed tracks seen in it, and confirmed tracks coasting
 * through a short occlusion (behind a post, or another person) while their predicted box is still
 * inside the picture. A track whose prediction has reached the picture's edge is taken to
 * have walked out, not to be hidden, so it stops counting at once rather than after the tracker's
 * whole coasting time ({@code maxMisses}).
 */
final class Occupancy {
    private Occupancy() {
    }

    static List<Track> present(List<Track> tracks, int frameW, int frameH) {
        List<Track> out = new ArrayList<>();
        for (Track t : tracks) {
            if (!t.confirmed()) {
                continue;
            }
            if (t.misses == 0 || inside(t.box(), frameW, frameH)) {
                out.add(t);
            }
        }
        return out;
    }

    /** Left, right and feet inside the picture (a head above its top edge is still a person in view). */
    static boolean inside(BoxF b, int w, int h) {
        return b.x() >= 0 && b.x() + b.w() <= w && b.y() + b.h() >= 0 && b.y() + b.h() <= h;
    }
}
