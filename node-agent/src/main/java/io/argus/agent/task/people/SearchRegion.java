package io.argus.agent.task.people;

import org.opencv.core.Rect;

/**
 * Where to look for people, and at what scale: the region is resized by {@code scale} before
 * searching, so that the people expected there are about as tall as the detector's window.
 */
public record SearchRegion(Rect rect, double scale) {
}
