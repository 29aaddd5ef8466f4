package io.argus.task.api.text;

import java.util.ArrayDeque;

/**
 * An upper estimate of the size of the program a regular expression compiles to, read from its
 * text before it is compiled.
 *
 * <p>RE2/J matches in time linear in the text, but its compiled program grows with the product of
 * nested counted repetitions: {@code (a{1000}){1000}} compiles to a million instructions (a second
 * and tens of MB), one more level to a billion (the agent runs out of memory while compiling).
 * RE2/J refuses a single count over 1,000 but not a nesting of them, so the product is bounded here,
 * before compiling. The estimate follows the compiler: every atom is about one instruction, a
 * group or operator a few, and {@code x{n,m}} copies {@code x} m times; it never reports less than
 * the compiled size by more than a small constant (checked against {@code Pattern.programSize()}
 * in the tests).
 */
final class RegexCost {
    /** Saturation point: estimates above it are reported as it, so the arithmetic cannot overflow. */
    static final long SATURATED = 1L << 40;

    private RegexCost() {
    }

    /** The estimated instruction count of {@code regex}, at most {@link #SATURATED}. */
    static long estimate(String regex) {
        // per open group: {total weight so far, weight of the last atom (what a repeat copies)}
        ArrayDeque<long[]> groups = new ArrayDeque<>();
        long[] cur = {0, 0};
        int n = regex.length();
        int i = 0;
        while (i < n) {
            char c = regex.charAt(i);
            switch (c) {
                case '\\' -> {
                    int end = skipEscape(regex, i);
                    // \Q...\E quotes one literal per character
                    atom(cur, regex.startsWith("\\Q", i) ? Math.max(1, end - i - 4) : 1);
                    i = end;
                    continue;
                }
                case '[' -> {
                    i = skipClass(regex, i);
                    atom(cur, 1);
                    continue;
                }
                case '(' -> {
                    groups.push(cur);
                    cur = new long[]{0, 0};
                }
                case ')' -> {
                    if (!groups.isEmpty()) {
                        long w = cur[0] + 2; // a capture is two instructions
                        cur = groups.pop();
                        atom(cur, w);
                    }
                }
                case '|' -> {
                    cur[0] = sat(cur[0] + 1);
                    cur[1] = 0;
                }
                case '*', '+', '?' -> cur[0] = sat(cur[0] + 1);
                case '{' -> {
                    int end = regex.indexOf('}', i);
                    long copies = end < 0 ? -1 : repeatCopies(regex.substring(i + 1, end));
                    if (copies < 0) {
                        atom(cur, 1); // not a repeat: a literal brace
                    } else {
                        cur[0] = sat(cur[0] + cur[1] * (copies - 1) + 1);
                        cur[1] = sat(cur[1] * copies);
                        i = end + 1;
                        continue;
                    }
                }
                default -> atom(cur, 1);
            }
            i++;
        }
        long total = cur[0];
        while (!groups.isEmpty()) { // unbalanced: the compiler will refuse it, but count what is there
            total = sat(total + groups.pop()[0]);
        }
        return total;
    }

    private static void atom(long[] g, long weight) {
        g[0] = sat(g[0] + weight);
        g[1] = sat(weight);
    }

    private static long sat(long v) {
        return v < 0 || v > SATURATED ? SATURATED : v;
    }

    /** How many copies of its operand {@code {body}} makes ({n}: n, {n,m}: m, {n,}: n + 1), or -1 when it is not a repeat. */
    static long repeatCopies(String body) {
        int comma = body.indexOf(',');
        String lo = comma < 0 ? body : body.substring(0, comma);
        String hi = comma < 0 ? lo : body.substring(comma + 1);
        if (!digits(lo) || !(hi.isEmpty() || digits(hi))) {
            return -1;
        }
        // the compiler refuses counts over 1,000 anyway; clamp so that the product stays small
        long min = count(lo);
        long copies = hi.isEmpty() ? min + 1 : count(hi);
        return Math.max(copies, 1);
    }

    private static long count(String digits) {
        return digits.length() > 4 ? 1_001 : Math.min(Long.parseLong(digits), 1_001);
    }

    private static boolean digits(String s) {
        return !s.isEmpty() && s.chars().allMatch(ch -> ch >= '0' && ch <= '9');
    }

    /** Index after an escape: {@code \x}, {@code \p{Name}}, {@code \x{hex}}, {@code \Q...\E}. */
    private static int skipEscape(String s, int i) {
        if (i + 1 >= s.length()) {
            return s.length();
        }
        char e = s.charAt(i + 1);
        if ((e == 'p' || e == 'P' || e == 'x') && i + 2 < s.length() && s.charAt(i + 2) == '{') {
            int end = s.indexOf('}', i + 3);
            return end < 0 ? s.length() : end + 1;
        }
        if (e == 'Q') {
            int end = s.indexOf("\\E", i + 2);
            return end < 0 ? s.length() : end + 2;
        }
        return i + 2;
    }

    /** Index after a character class {@code [...]}, which compiles to a single instruction. */
    private static int skipClass(String s, int i) {
        int j = i + 1;
        if (j < s.length() && s.charAt(j) == '^') {
            j++;
        }
        if (j < s.length() && s.charAt(j) == ']') {
            j++; // a leading ] is a literal
        }
        while (j < s.length()) {
            char c = s.charAt(j);
            if (c == '\\') {
                j += 2;
            } else if (c == '[' && j + 1 < s.length() && s.charAt(j + 1) == ':') {
                int end = s.indexOf(":]", j + 2);
                j = end < 0 ? j + 1 : end + 2;
            } else if (c == ']') {
                return j + 1;
            } else {
                j++;
            }
        }
        return s.length();
    }
}
