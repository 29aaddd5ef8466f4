package io.argus.task.api.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.argus.protocol.v1.Code;
import io.argus.task.api.Params;
import io.argus.task.api.TaskException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The text task's watch list: regular expressions a reading is searched for, compiled with RE2/J.
 *
 * <p>Why RE2/J and not {@code java.util.regex}: a watch list is user input, and a backtracking
 * engine takes time exponential in the text for patterns such as {@code ((((a+)+)+)+)+b} (a sign
 * reading 42 "A"s put both workers of an agent into a match that never ended, while the agent
 * stayed registered and looked healthy). RE2/J matches in time linear in the text. It has no
 * back-references or look-around; such patterns are refused as invalid.
 *
 * <p>Bounds, each refused with {@code BAD_REQUEST} naming it: the whole specification
 * ({@link Limits#maxSpecLength()}), the number of patterns ({@link Limits#maxPatterns()}), each
 * pattern's length ({@link Limits#maxPatternLength()}), the size of the program it compiles to
 * ({@link Limits#maxProgramSize()}: nested counted repetitions multiply, see {@link RegexCost}) and
 * the size of all of them together ({@link Limits#maxTotalProgramSize()}).
 */
public final class WatchList {
    /** Longest watch-list specification (the {@code watch} parameter), in characters. */
    public static final int DEFAULT_MAX_SPEC_LENGTH = 16_384;
    /** Most patterns in one watch list: every agreed reading is searched for each of them. */
    public static final int DEFAULT_MAX_PATTERNS = 64;
    /** Longest single pattern, in characters (it is also reported in the {@code pattern} attribute of watch events). */
    public static final int DEFAULT_MAX_PATTERN_LENGTH = 512;
    /** Largest compiled program per pattern, in RE2/J instructions (estimated before compiling). */
    public static final int DEFAULT_MAX_PROGRAM_SIZE = 10_000;
    /**
     * Largest sum of the compiled programs of a list. Matching time grows with program size times
     * reading length (a 6,000-instruction pattern takes up to 14 ms on a 200-character reading),
     * and a reading not yet matched is searched again on every frame; ordinary patterns take
     * 10-100 instructions, so 64 of them stay far below.
     */
    public static final int DEFAULT_MAX_TOTAL_PROGRAM_SIZE = 20_000;

    public static final WatchList EMPTY = new WatchList(List.of());
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The bounds a watch list is checked against.
     *
     * @param maxSpecLength    1 to 1,048,576 characters; default {@link #DEFAULT_MAX_SPEC_LENGTH}
     * @param maxPatterns      1 to 1,024; default {@link #DEFAULT_MAX_PATTERNS}
     * @param maxPatternLength 1 to 65,536 characters; default {@link #DEFAULT_MAX_PATTERN_LENGTH}
     * @param maxProgramSize   16 to 1,000,000 instructions; default {@link #DEFAULT_MAX_PROGRAM_SIZE}
     * @param maxTotalProgramSize {@code maxProgramSize} to 10,000,000 instructions; default
     *                         {@link #DEFAULT_MAX_TOTAL_PROGRAM_SIZE}
     */
    public record Limits(int maxSpecLength, int maxPatterns, int maxPatternLength, int maxProgramSize,
                         int maxTotalProgramSize) {
        public static final Limits DEFAULT = new Limits(DEFAULT_MAX_SPEC_LENGTH, DEFAULT_MAX_PATTERNS,
                DEFAULT_MAX_PATTERN_LENGTH, DEFAULT_MAX_PROGRAM_SIZE, DEFAULT_MAX_TOTAL_PROGRAM_SIZE);

        public Limits {
            check("maxSpecLength", maxSpecLength, 1, 1 << 20);
            check("maxPatterns", maxPatterns, 1, 1_024);
            check("maxPatternLength", maxPatternLength, 1, 1 << 16);
            check("maxProgramSize", maxProgramSize, 16, 1_000_000);
            check("maxTotalProgramSize", maxTotalProgramSize, maxProgramSize, 10_000_000);
        }

        private static void check(String name, int v, int min, int max) {
            if (v < min || v > max) {
                throw new IllegalArgumentException("watch list " + name + " must be " + min + "-" + max + ": " + v);
            }
        }
    }

    private final List<Pattern> patterns;

    private WatchList(List<Pattern> patterns) {
        this.patterns = List.copyOf(patterns);
    }

    /** Parses a JSON array of regular expressions, or one per line, within {@link Limits#DEFAULT}. */
    public static WatchList parse(String spec) throws TaskException {
        return parse(spec, Limits.DEFAULT);
    }

    public static WatchList parse(String spec, Limits limits) throws TaskException {
        if (spec.length() > limits.maxSpecLength()) {
            throw bad("the watch list is " + spec.length() + " characters long; the limit is "
                    + limits.maxSpecLength() + " (WatchList.DEFAULT_MAX_SPEC_LENGTH)");
        }
        List<String> items = items(spec, limits);
        List<Pattern> out = new ArrayList<>(items.size());
        long total = 0;
        for (int i = 0; i < items.size(); i++) {
            Pattern p = compile(i, items.get(i), limits);
            total += p.programSize();
            if (total > limits.maxTotalProgramSize()) {
                throw bad("the watch list's patterns compile to more than " + limits.maxTotalProgramSize()
                        + " instructions together (at pattern number " + (i + 1)
                        + "), the limit (WatchList.DEFAULT_MAX_TOTAL_PROGRAM_SIZE)");
            }
            out.add(p);
        }
        return out.isEmpty() ? EMPTY : new WatchList(out);
    }

    private static List<String> items(String spec, Limits limits) throws TaskException {
        List<String> items = new ArrayList<>();
        String s = spec.strip();
        if (s.startsWith("[")) {
            JsonNode array;
            try {
                array = JSON.readTree(s);
            } catch (IOException e) {
                throw Params.bad("watch", spec, "a JSON array of regular expressions");
            }
            for (JsonNode n : array) {
                if (!n.isValueNode()) {
                    throw Params.bad("watch", spec, "a JSON array of regular expressions (strings)");
                }
                add(items, n.asText(), limits);
            }
        } else if (!s.isEmpty()) {
            for (String line : s.split("\n")) {
                if (!line.isBlank()) {
                    add(items, line.strip(), limits);
                }
            }
        }
        return items;
    }

    private static void add(List<String> items, String item, Limits limits) throws TaskException {
        if (items.size() == limits.maxPatterns()) {
            throw bad("the watch list has more than " + limits.maxPatterns()
                    + " patterns, the limit (WatchList.DEFAULT_MAX_PATTERNS)");
        }
        items.add(item);
    }

    private static Pattern compile(int index, String item, Limits limits) throws TaskException {
        String name = "watch pattern '" + abbreviate(item) + "' (number " + (index + 1) + ")";
        if (item.length() > limits.maxPatternLength()) {
            throw bad(name + " is " + item.length() + " characters long; the limit is " + limits.maxPatternLength()
                    + " (WatchList.DEFAULT_MAX_PATTERN_LENGTH)");
        }
        // estimated before compiling: compiling an over-large program is itself the attack
        long cost = RegexCost.estimate(item);
        if (cost > limits.maxProgramSize()) {
            throw tooLarge(name, cost, limits);
        }
        Pattern p;
        try {
            p = Pattern.compile(item, Pattern.CASE_INSENSITIVE);
        } catch (PatternSyntaxException e) {
            throw bad(name + " is not a valid regular expression: " + e.getDescription()
                    + " (RE2 syntax: no back-references or look-around)");
        }
        if (p.programSize() > limits.maxProgramSize()) { // in case the estimate ever falls short
            throw tooLarge(name, p.programSize(), limits);
        }
        return p;
    }

    private static TaskException tooLarge(String name, long size, Limits limits) {
        return bad(name + " compiles to about " + size + " instructions; the limit is " + limits.maxProgramSize()
                + " (WatchList.DEFAULT_MAX_PROGRAM_SIZE; nested counted repetitions multiply)");
    }

    private static TaskException bad(String message) {
        return new TaskException(Code.BAD_REQUEST, message);
    }

    private static String abbreviate(String v) {
        return v.length() > 80 ? v.substring(0, 77) + "..." : v;
    }

    public int size() {
        return patterns.size();
    }

    public boolean isEmpty() {
        return patterns.isEmpty();
    }

    /** The source text of pattern {@code i}. */
    public String pattern(int i) {
        return patterns.get(i).pattern();
    }

    /** The index of the first pattern found anywhere in {@code text} (case-insensitive), or -1. */
    public int firstMatch(CharSequence text) {
        for (int i = 0; i < patterns.size(); i++) {
            if (patterns.get(i).matcher(text).find()) {
                return i;
            }
        }
        return -1;
    }
}
