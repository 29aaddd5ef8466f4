package io.argus.task.api.people;

import io.argus.task.geom.Pt;

/**
 * A named, directed counting line from p1 to p2. With
 * {@code s = (x2-x1)(y-y1) - (y2-y1)(x-x1)} for a foot point (x, y) in image coordinates,
 * a track counts <b>in</b> when s goes from negative to positive and <b>out</b> when it goes from
 * positive to negative, the crossing point lying within the segment. Example: for the line
 * (384,0) to (384,576), walking from right to left is "in".
 */
public record CountingLine(String name, Pt p1, Pt p2) {
    public double length() {
        return p1.dist(p2);
    }
}
