package io.argus.task.api;

import io.argus.protocol.v1.Code;

import java.util.Locale;
import java.util.Map;

/** Typed access to task parameters; every failure names the parameter and the accepted range. */
public final class Params {
    private Params() {
    }

    public static int intParam(Map<String, String> p, String name, int def, int min, int max) throws TaskException {
        String v = p.get(name);
        if (v == null || v.isBlank()) {
            return def;
        }
        try {
            int i = Integer.parseInt(v.trim());
            if (i < min || i > max) {
                throw bad(name, v, "an integer in [" + min + ", " + max + "]");
            }
            return i;
        } catch (NumberFormatException e) {
            throw bad(name, v, "an integer in [" + min + ", " + max + "]");
        }
    }

    public static double doubleParam(Map<String, String> p, String name, double def, double min, double max)
            throws TaskException {
        String v = p.get(name);
        if (v == null || v.isBlank()) {
            return def;
        }
        try {
            double d = Double.parseDouble(v.trim());
            if (!(d >= min && d <= max)) {
                throw bad(name, v, "a number in [" + min + ", " + max + "]");
            }
            return d;
        } catch (NumberFormatException e) {
            throw bad(name, v, "a number in [" + min + ", " + max + "]");
        }
    }

    public static boolean boolParam(Map<String, String> p, String name, boolean def) throws TaskException {
        String v = p.get(name);
        if (v == null || v.isBlank()) {
            return def;
        }
        return switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw bad(name, v, "true or false");
        };
    }

    public static TaskException bad(String name, String value, String expected) {
        return new TaskException(Code.BAD_REQUEST, "parameter '" + name + "' = '" + abbreviate(value)
                + "': expected " + expected);
    }

    static String abbreviate(String v) {
        return v.length() > 80 ? v.substring(0, 77) + "..." : v;
    }
}
