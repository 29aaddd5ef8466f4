package io.argus.agent.task.people;

import io.argus.agent.geom.Polygon;

/** A named area: occupancy is the number of tracked people whose foot point lies inside. */
public record Zone(String name, Polygon polygon) {
}
