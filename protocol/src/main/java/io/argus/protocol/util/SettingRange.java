package io.argus.protocol.util;

/**
 * The range check every {@code XxxConfig} of Argus applies when it is built: a setting outside its
 * range is a configuration error that names the setting and the range, never something clamped
 * silently (a clamped value hides the mistake until the bound matters).
 */
public final class SettingRange {
    private SettingRange() {
    }

    /** {@code v} if {@code min <= v <= max}; NaN is refused too. */
    public static double check(String name, double v, double min, double max) {
        if (!(v >= min && v <= max)) {
            throw new IllegalArgumentException(name + " = " + fmt(v) + " is out of range [" + fmt(min) + ", " + fmt(max) + "]");
        }
        return v;
    }

    /** {@code v} if {@code min <= v <= max}. */
    public static long check(String name, long v, long min, long max) {
        if (v < min || v > max) {
            throw new IllegalArgumentException(name + " = " + v + " is out of range [" + min + ", " + max + "]");
        }
        return v;
    }

    /** {@code v} if {@code min <= v <= max}. */
    public static int check(String name, int v, int min, int max) {
        return (int) check(name, (long) v, min, max);
    }

    private static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.valueOf(v);
    }
}
