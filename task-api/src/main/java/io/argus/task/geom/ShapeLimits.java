package io.argus.task.geom;

/**
 * Bounds on the counting lines and zones of one stream, checked on the text of a configuration
 * before any number is parsed or any geometry is done: a shape spec is user input that arrives
 * from a frame, an HTTP body or a command line, and without a bound one request could make an agent
 * or a coordinator spend minutes on it (a 100,000-point zone took 200 s with the old quadratic
 * check). Immutable; build one with {@link #custom()}.
 *
 * <p>Agents and coordinators apply {@link #DEFAULT} so that a configuration the coordinator accepts
 * is one every agent accepts.
 */
public final class ShapeLimits {
    /** Points of one zone: far more than anyone clicks around an area, small enough to check in microseconds. */
    public static final int DEFAULT_MAX_ZONE_POINTS = 256;
    /** Zones of one stream. */
    public static final int DEFAULT_MAX_ZONES = 32;
    /** Counting lines of one stream. */
    public static final int DEFAULT_MAX_LINES = 32;
    /** Characters of one {@code lines} or {@code zones} spec: 32 zones of 256 points at 16 characters a point. */
    public static final int DEFAULT_MAX_SPEC_CHARS = 131_072;

    public static final ShapeLimits DEFAULT = custom().build();

    private final int maxZonePoints;
    private final int maxZones;
    private final int maxLines;
    private final int maxSpecChars;

    private ShapeLimits(Builder b) {
        this.maxZonePoints = b.maxZonePoints;
        this.maxZones = b.maxZones;
        this.maxLines = b.maxLines;
        this.maxSpecChars = b.maxSpecChars;
    }

    public static Builder custom() {
        return new Builder();
    }

    public int maxZonePoints() {
        return maxZonePoints;
    }

    public int maxZones() {
        return maxZones;
    }

    public int maxLines() {
        return maxLines;
    }

    public int maxSpecChars() {
        return maxSpecChars;
    }

    @Override
    public String toString() {
        return "ShapeLimits{maxZonePoints=" + maxZonePoints + ", maxZones=" + maxZones + ", maxLines=" + maxLines
                + ", maxSpecChars=" + maxSpecChars + "}";
    }

    /**
     * Points in a list of coordinates {@code x1,y1,x2,y2,...}, counted from its commas before any
     * number is parsed, so that a shape over {@link #maxZonePoints()} costs no more than one scan.
     */
    public static int pointCount(String coordinates) {
        int commas = 0;
        for (int i = 0; i < coordinates.length(); i++) {
            if (coordinates.charAt(i) == ',') {
                commas++;
            }
        }
        return (commas + 1) / 2;
    }

    public static final class Builder {
        private int maxZonePoints = DEFAULT_MAX_ZONE_POINTS;
        private int maxZones = DEFAULT_MAX_ZONES;
        private int maxLines = DEFAULT_MAX_LINES;
        private int maxSpecChars = DEFAULT_MAX_SPEC_CHARS;

        private Builder() {
        }

        /** At least 3 (a triangle); at most 100,000, past which even the O(n log n) check is not cheap. */
        public Builder maxZonePoints(int n) {
            this.maxZonePoints = inRange("maxZonePoints", n, 3, 100_000);
            return this;
        }

        public Builder maxZones(int n) {
            this.maxZones = inRange("maxZones", n, 0, 10_000);
            return this;
        }

        public Builder maxLines(int n) {
            this.maxLines = inRange("maxLines", n, 0, 10_000);
            return this;
        }

        /** At least 64 characters: one short shape must always fit. */
        public Builder maxSpecChars(int n) {
            this.maxSpecChars = inRange("maxSpecChars", n, 64, 16 * 1024 * 1024);
            return this;
        }

        public ShapeLimits build() {
            return new ShapeLimits(this);
        }

        private static int inRange(String name, int v, int min, int max) {
            if (v < min || v > max) {
                throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "], was " + v);
            }
            return v;
        }
    }
}
