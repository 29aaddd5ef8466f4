package io.argus.protocol;

/**
 * The one alphabet for names that cross the wire and end up as ZooKeeper node names: stream ids, line
 * and zone names, stitch and mosaic group names. Letters, digits, '.', '_', '-', 1 to {@value #MAX_CHARS}
 * characters, and not "." or "..".
 */
public final class Names {
    /** Longest name accepted. */
    public static final int MAX_CHARS = 128;

    private Names() {
    }

    /** Returns {@code name}, or throws {@link IllegalArgumentException} saying what a name may be. */
    public static String check(String name) {
        if (!isValid(name)) {
            throw new IllegalArgumentException("invalid name '" + name
                    + "': use 1-" + MAX_CHARS + " of [A-Za-z0-9._-], not '.' or '..'");
        }
        return name;
    }

    /**
     * A loop, not {@code String.matches}: agents check every frame's stream id on the event loop, and
     * {@code matches} compiled the pattern each time (1.2% of the raw frame path's allocation).
     */
    public static boolean isValid(String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_CHARS || name.equals(".") || name.equals("..")) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
