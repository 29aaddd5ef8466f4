package io.argus.cli.eval;

import io.argus.task.geom.Polygon;
import io.argus.task.geom.Pt;
import io.argus.task.geom.ShapeLimits;
import org.jspecify.annotations.Nullable;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses the command-line shapes, with the syntax of {@code argus analyze}: a line
 * {@code NAME:x1,y1,x2,y2} and a zone {@code NAME:x1,y1,x2,y2,x3,y3,...}. The agents' bounds
 * ({@link ShapeLimits#DEFAULT}) apply, counted on the text before any number is parsed, so that a
 * shape accepted here is one an agent accepts too.
 */
public final class ShapeSpecs {
    private ShapeSpecs() {
    }

    /** A named, directed counting line p1 -> p2 (see {@link LineCrossings} for the direction). */
    public record CountLine(String name, Pt p1, Pt p2) {
    }

    /** A named zone; a person is in it when their foot point is. */
    public record CountZone(String name, @Nullable Polygon polygon) {
    }

    public static CountLine line(String spec) {
        double[] v = numbersAfterName(spec, "--line");
        if (v.length != 4) {
            throw new IllegalArgumentException("--line " + spec + ": expected NAME:x1,y1,x2,y2");
        }
        if (v[0] == v[2] && v[1] == v[3]) {
            throw new IllegalArgumentException("--line " + spec + ": the two ends are the same point");
        }
        return new CountLine(spec.substring(0, spec.indexOf(':')), new Pt(v[0], v[1]), new Pt(v[2], v[3]));
    }

    public static CountZone zone(String spec) {
        int points = ShapeLimits.pointCount(spec);
        if (points > ShapeLimits.DEFAULT.maxZonePoints()) {
            throw new IllegalArgumentException("--zone: " + points + " points, over the limit of "
                    + ShapeLimits.DEFAULT.maxZonePoints() + " (maxZonePoints)");
        }
        double[] v = numbersAfterName(spec, "--zone");
        if (v.length < 6 || v.length % 2 != 0) {
            throw new IllegalArgumentException("--zone " + spec + ": expected NAME:x1,y1,x2,y2,x3,y3,...");
        }
        List<Pt> pts = new ArrayList<>();
        for (int i = 0; i < v.length; i += 2) {
            pts.add(new Pt(v[i], v[i + 1]));
        }
        Polygon polygon = new Polygon(pts);
        if (polygon.selfIntersects()) {
            throw new IllegalArgumentException("--zone " + spec + ": the zone intersects itself");
        }
        return new CountZone(spec.substring(0, spec.indexOf(':')), polygon);
    }

    /** Refuses more shapes of one kind than an agent accepts per stream. */
    public static void checkCount(String option, int count, int max) {
        if (count > max) {
            throw new IllegalArgumentException(option + " given " + count + " times, over the limit of " + max);
        }
    }

    private static double[] numbersAfterName(String spec, String option) {
        if (spec.length() > ShapeLimits.DEFAULT.maxSpecChars()) {
            throw new IllegalArgumentException(option + ": " + spec.length() + " characters, over the limit of "
                    + ShapeLimits.DEFAULT.maxSpecChars() + " (maxSpecChars)");
        }
        int colon = spec.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException(option + " " + spec + ": expected NAME:numbers");
        }
        String[] parts = spec.substring(colon + 1).split(",");
        double[] v = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                v[i] = Double.parseDouble(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + " " + spec + ": '" + parts[i] + "' is not a number");
            }
            if (!Double.isFinite(v[i])) {
                throw new IllegalArgumentException(option + " " + spec + ": '" + parts[i] + "' is not a finite number");
            }
        }
        return v;
    }
}
