package io.argus.agent.task.people;

import io.argus.task.geom.BoxF;

/**
 * One person found in one frame.
 *
 * @param box        where
 * @param score      detector confidence
 * @param appearance normalised colour histogram of the person (see {@link Appearance}), or null
 */
public record Detection(BoxF box, double score, float[] appearance) {
    public Detection(BoxF box, double score) {
        this(box, score, null);
    }

    public Detection withAppearance(float[] a) {
        return new Detection(box, score, a);
    }
}
