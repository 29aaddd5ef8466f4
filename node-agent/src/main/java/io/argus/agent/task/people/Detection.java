package io.argus.agent.task.people;

import io.argus.task.geom.BoxF;
import org.jspecify.annotations.Nullable;

/**
 * One person found in one frame.
 *
 * @param box        where
 * @param score      detector confidence
 * @param appearance normalised colour histogram of the person (see {@link Appearance}), or null
 */
public record Detection(BoxF box, double score, float @Nullable [] appearance) {
    public Detection(BoxF box, double score) {
        this(box, score, null);
    }

    public Detection withAppearance(float @Nullable [] a) {
        return new Detection(box, score, a);
    }
}
