package io.argus.task.api.people;

import io.argus.protocol.Names;
import io.argus.protocol.v1.Code;
import io.argus.task.api.Params;
import io.argus.task.api.TaskException;
import io.argus.task.geom.Polygon;
import io.argus.task.geom.Pt;
import io.argus.task.geom.ShapeLimits;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parameters of the {@code people} task, parsed and validated. All sizes are relative to the
 * frame or to the person, never absolute pixels tuned to one clip.
 *
 * <ul>
 *   <li>{@code lines}: {@code NAME:x1,y1,x2,y2;NAME2:...} in frame pixels;</li>
 *   <li>{@code zones}: {@code NAME:x1,y1,x2,y2,x3,y3[,...];...}, each a simple polygon;</li>
 *   <li>at most {@link ShapeLimits#DEFAULT_MAX_LINES} lines, {@link ShapeLimits#DEFAULT_MAX_ZONES} zones of
 *       {@link ShapeLimits#DEFAULT_MAX_ZONE_POINTS} points, and {@link ShapeLimits#DEFAULT_MAX_SPEC_CHARS}
 *       characters per spec: counted on the text before any number is parsed;</li>
 *   <li>{@code minHeight}: smallest person to find, as a fraction of the frame height (default
 *       0.12). HOG's window fits a person about 96 px tall, so smaller people are found by
 *       upscaling the search regions by {@code 96 / (minHeight x frame height)}, capped at 2. With
 *       {@code perspective}, once the height per row is learned it replaces this floor, except
 *       where the people seen stood on too few rows to tell a slope;</li>
 *   <li>{@code fullEveryMs}: period of the full-frame search that finds people who have not moved
 *       since the stream started (default 8000 ms of stream time: media time for files, capture time
 *       for live sources; anyone who moves is searched at once, so this only bounds how long a
 *       person standing still from the start goes unseen);</li>
 *   <li>{@code hitThreshold}: HOG SVM margin (default 0); {@code minScore}: minimum detection weight
 *       after grouping (default 0.3);</li>
 *   <li>{@code band}: hysteresis of the counting lines, in person heights (default 0.15);
 *       {@code minAge}: frames a track must exist before it counts (default 5);</li>
 *   <li>{@code maxMisses}: frames a lost track coasts before it is dropped (default 15);</li>
 *   <li>{@code motion}: false turns the motion gate off (every frame searched in full; default true);</li>
 *   <li>{@code regionPyramidStep}: scale step of the detector's pyramid inside search regions,
 *       the bands of the full-picture search included (default 1.1; a whole-frame search, before
 *       the perspective is learned, uses 1.05). A region's scale is already set from the person
 *       expected there, so a coarser pyramid loses little and halves the work.</li>
 *   <li>{@code perspective}: search moving regions at the scale of the person height learned per
 *       image row (the agent's {@code PerspectiveHeight}: a fixed camera's ground-plane perspective
 *       makes a person's image height an affine function of the row of their feet) instead of the
 *       blob's height, which is the height of whatever moves there, often a group or half a
 *       person, and cut the full-picture search into bands of rows each searched at the scale of
 *       its own people (default true; until about 30 confirmed detections have been seen, and with
 *       false, the search uses {@code minHeight} everywhere). On the hand-labelled sample
 *       (BENCHMARKS.md, issue 15) it raises MOTA from 53% to 72% and IDF1 from 52% to 71% and
 *       lowers the occupancy error from 2.2 to 1.5 people on raw frames (through JPEG q85, as the
 *       cluster sends them: MOTA 67%, IDF1 66%, occupancy error 1.65), at 3.1x the frames/s of the
 *       plain full-frame HOG loop (false: 3.4x).</li>
 * </ul>
 */
public record PeopleConfig(List<CountingLine> lines, List<Zone> zones, double minHeight, long fullEveryMs,
                           double hitThreshold, double minScore, double band, int minAge, int maxMisses,
                           boolean motion, double regionPyramidStep, boolean perspective) {
    /** Defaults of the parameters above; their reasons are in the class comment. */
    public static final double DEFAULT_MIN_HEIGHT = 0.12;
    public static final long DEFAULT_FULL_EVERY_MS = 8000;
    public static final double DEFAULT_HIT_THRESHOLD = 0;
    public static final double DEFAULT_MIN_SCORE = 0.3;
    public static final double DEFAULT_BAND = 0.15;
    public static final int DEFAULT_MIN_AGE = 5;
    public static final int DEFAULT_MAX_MISSES = 15;
    public static final boolean DEFAULT_MOTION = true;
    public static final double DEFAULT_REGION_PYRAMID_STEP = 1.1;
    public static final boolean DEFAULT_PERSPECTIVE = true;

    public static PeopleConfig parse(Map<String, String> p) throws TaskException {
        return parse(p, ShapeLimits.DEFAULT);
    }

    public static PeopleConfig parse(Map<String, String> p, ShapeLimits limits) throws TaskException {
        return new PeopleConfig(
                parseLines(p.getOrDefault("lines", ""), limits),
                parseZones(p.getOrDefault("zones", ""), limits),
                Params.doubleParam(p, "minHeight", DEFAULT_MIN_HEIGHT, 0.02, 1.0),
                (long) Params.doubleParam(p, "fullEveryMs", DEFAULT_FULL_EVERY_MS, 0, 3_600_000),
                Params.doubleParam(p, "hitThreshold", DEFAULT_HIT_THRESHOLD, -1, 3),
                Params.doubleParam(p, "minScore", DEFAULT_MIN_SCORE, 0, 10),
                Params.doubleParam(p, "band", DEFAULT_BAND, 0, 2),
                Params.intParam(p, "minAge", DEFAULT_MIN_AGE, 0, 1000),
                Params.intParam(p, "maxMisses", DEFAULT_MAX_MISSES, 0, 1000),
                Params.boolParam(p, "motion", DEFAULT_MOTION),
                Params.doubleParam(p, "regionPyramidStep", DEFAULT_REGION_PYRAMID_STEP, 1.01, 1.5),
                Params.boolParam(p, "perspective", DEFAULT_PERSPECTIVE));
    }

    static List<CountingLine> parseLines(String spec, ShapeLimits limits) throws TaskException {
        List<CountingLine> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        List<String> items = split(checkLength(spec, "lines", limits));
        if (items.size() > limits.maxLines()) {
            throw bad("lines: " + items.size() + " lines, over the limit of " + limits.maxLines() + " per stream (maxLines)");
        }
        for (String item : items) {
            String[] nv = nameAndValues(item, "lines");
            double[] v = numbers(nv[1], "line '" + nv[0] + "'");
            if (v.length != 4) {
                throw bad("line '" + nv[0] + "' needs 4 numbers x1,y1,x2,y2, got " + v.length);
            }
            CountingLine l = new CountingLine(nv[0], new Pt(v[0], v[1]), new Pt(v[2], v[3]));
            if (l.length() < 2) {
                throw bad("line '" + nv[0] + "' is shorter than 2 pixels");
            }
            if (!names.add(nv[0])) {
                throw bad("line '" + nv[0] + "' is defined twice");
            }
            out.add(l);
        }
        return out;
    }

    static List<Zone> parseZones(String spec, ShapeLimits limits) throws TaskException {
        List<Zone> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        List<String> items = split(checkLength(spec, "zones", limits));
        if (items.size() > limits.maxZones()) {
            throw bad("zones: " + items.size() + " zones, over the limit of " + limits.maxZones() + " per stream (maxZones)");
        }
        for (String item : items) {
            String[] nv = nameAndValues(item, "zones");
            // counted on the text, before parsing numbers or checking the polygon
            int points = ShapeLimits.pointCount(nv[1]);
            if (points > limits.maxZonePoints()) {
                throw bad("zone '" + nv[0] + "' has " + points + " points, over the limit of " + limits.maxZonePoints()
                        + " (maxZonePoints)");
            }
            double[] v = numbers(nv[1], "zone '" + nv[0] + "'");
            if (v.length < 6 || v.length % 2 != 0) {
                throw bad("zone '" + nv[0] + "' needs at least 3 points as x,y pairs, got " + v.length + " numbers");
            }
            List<Pt> pts = new ArrayList<>();
            for (int i = 0; i < v.length; i += 2) {
                pts.add(new Pt(v[i], v[i + 1]));
            }
            Polygon poly = new Polygon(pts);
            if (poly.selfIntersects()) {
                throw bad("zone '" + nv[0] + "' intersects itself");
            }
            if (poly.area() < 1) {
                throw bad("zone '" + nv[0] + "' has no area");
            }
            if (!names.add(nv[0])) {
                throw bad("zone '" + nv[0] + "' is defined twice");
            }
            out.add(new Zone(nv[0], poly));
        }
        return out;
    }

    /** Lines and zones must lie within the frame (checked on the first frame, when its size is known). */
    public void checkFits(int width, int height) throws TaskException {
        for (CountingLine l : lines) {
            for (Pt p : List.of(l.p1(), l.p2())) {
                if (!inside(p, width, height)) {
                    throw bad("line '" + l.name() + "' point (" + fmt(p) + ") is outside the " + width + "x" + height + " frame");
                }
            }
        }
        for (Zone z : zones) {
            for (Pt p : z.polygon().points()) {
                if (!inside(p, width, height)) {
                    throw bad("zone '" + z.name() + "' point (" + fmt(p) + ") is outside the " + width + "x" + height + " frame");
                }
            }
        }
    }

    private static boolean inside(Pt p, int w, int h) {
        return p.x() >= 0 && p.y() >= 0 && p.x() <= w && p.y() <= h;
    }

    private static String fmt(Pt p) {
        return (Math.round(p.x() * 10) / 10.0) + "," + (Math.round(p.y() * 10) / 10.0);
    }

    private static String checkLength(String spec, String what, ShapeLimits limits) throws TaskException {
        if (spec.length() > limits.maxSpecChars()) {
            throw bad(what + ": " + spec.length() + " characters, over the limit of " + limits.maxSpecChars()
                    + " (maxSpecChars)");
        }
        return spec;
    }

    private static List<String> split(String spec) {
        List<String> out = new ArrayList<>();
        for (String s : spec.split(";")) {
            if (!s.isBlank()) {
                out.add(s.trim());
            }
        }
        return out;
    }

    private static String[] nameAndValues(String item, String what) throws TaskException {
        int colon = item.indexOf(':');
        if (colon <= 0) {
            throw bad(what + " entry '" + item + "' must be NAME:numbers");
        }
        String name = item.substring(0, colon).trim();
        if (!Names.isValid(name)) {
            throw bad(what + " name '" + name + "' must be 1-128 of [A-Za-z0-9._-]");
        }
        return new String[]{name, item.substring(colon + 1)};
    }

    private static double[] numbers(String csv, String what) throws TaskException {
        String[] parts = csv.split(",");
        double[] v = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                v[i] = Double.parseDouble(parts[i].trim());
            } catch (NumberFormatException e) {
                throw bad(what + ": '" + parts[i].trim() + "' is not a number");
            }
            if (!Double.isFinite(v[i])) {
                throw bad(what + ": '" + parts[i].trim() + "' is not finite");
            }
        }
        return v;
    }

    static TaskException bad(String message) {
        return new TaskException(Code.BAD_REQUEST, message);
    }
}
