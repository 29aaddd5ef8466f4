package io.argus.task.api.people;

import io.argus.task.geom.Polygon;

/** A named area: occupancy is the number of tracked people whose foot point lies inside. */
public record Zone(String name, Polygon polygon) {
}
