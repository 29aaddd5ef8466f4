package io.argus.cli.eval;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads MOTChallenge text files, one box per line, comma separated, frames 1-based:
 * <ul>
 *   <li>ground truth: {@code frame,id,x,y,w,h,consider,class,visibility}; rows with
 *       {@code consider == 0} are ignored (as py-motmetrics' loader with {@code min_confidence=1}
 *       drops them), but their frame still counts as labelled;</li>
 *   <li>tracker output: {@code frame,id,x,y,w,h,score,-1,-1,-1}; only the first six fields are
 *       required.</li>
 * </ul>
 * Blank lines and lines starting with {@code #} are skipped. Every problem is reported as
 * {@code file:line: what is wrong} ({@link EvalInputException}): a non-numeric field, a frame below
 * 1, a non-integral id, a box without area, one id twice in a frame (TrackEval refuses that too), or
 * more than {@link #MAX_ROWS} rows, {@link #MAX_IDS} distinct ids or {@link #MAX_BOXES_PER_FRAME}
 * boxes in one frame, which bound the memory and the assignment problems of an evaluation.
 */
public final class MotReader {
    /** Rows per file (MOT17's largest sequence has about 110,000 ground-truth rows). */
    public static final int MAX_ROWS = 5_000_000;
    /** Distinct track ids per file. */
    public static final int MAX_IDS = 20_000;
    /** Boxes in one frame: bounds the per-frame assignment (MOT20 peaks at a few hundred). */
    public static final int MAX_BOXES_PER_FRAME = 2_000;
    private static final int MAX_LINE_CHARS = 4_096;

    public enum Kind { GROUND_TRUTH, TRACKS }

    private MotReader() {
    }

    public static Sequence groundTruth(Path file) throws IOException {
        return read(file, Kind.GROUND_TRUTH);
    }

    public static Sequence tracks(Path file) throws IOException {
        return read(file, Kind.TRACKS);
    }

    public static Sequence read(Path file, Kind kind) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new EvalInputException(file, 0, "no such file");
        }
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(r, file, kind);
        }
    }

    /** Reads rows from {@code in}; {@code name} is used in error messages only. */
    public static Sequence read(Reader in, Path name, Kind kind) throws IOException {
        BufferedReader r = in instanceof BufferedReader b ? b : new BufferedReader(in);
        List<MotBox> boxes = new ArrayList<>();
        Set<Integer> ignoredFrames = new TreeSet<>();
        Map<Integer, Map<Long, Long>> seen = new HashMap<>(); // frame -> id -> line, for duplicates
        Set<Long> ids = new HashSet<>();
        long lineNo = 0;
        String line;
        while ((line = r.readLine()) != null) {
            lineNo++;
            if (line.length() > MAX_LINE_CHARS) {
                throw new EvalInputException(name, lineNo, "line longer than " + MAX_LINE_CHARS + " characters");
            }
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            if (boxes.size() + ignoredFrames.size() >= MAX_ROWS) {
                throw new EvalInputException(name, lineNo, "more than " + MAX_ROWS + " rows (the evaluation's limit)");
            }
            String[] f = t.split(",", -1);
            if (f.length < 6) {
                throw new EvalInputException(name, lineNo, "expected " + (kind == Kind.GROUND_TRUTH
                        ? "frame,id,x,y,w,h,consider,class,visibility" : "frame,id,x,y,w,h,score,-1,-1,-1")
                        + ", found " + f.length + " field(s)");
            }
            long frame = integral(f[0], "frame", name, lineNo);
            if (frame < 1 || frame > Integer.MAX_VALUE) {
                throw new EvalInputException(name, lineNo, "frame " + f[0].strip() + " out of range (frames are 1-based)");
            }
            long id = integral(f[1], "id", name, lineNo);
            double x = number(f[2], "x", name, lineNo);
            double y = number(f[3], "y", name, lineNo);
            double w = number(f[4], "width", name, lineNo);
            double h = number(f[5], "height", name, lineNo);
            if (w <= 0 || h <= 0) {
                throw new EvalInputException(name, lineNo, "box " + f[4].strip() + "x" + f[5].strip() + " has no area");
            }
            double sixth = f.length >= 7 && !f[6].isBlank() ? number(f[6], kind == Kind.GROUND_TRUTH ? "consider" : "score", name, lineNo) : 1;
            if (kind == Kind.GROUND_TRUTH && sixth == 0) {
                ignoredFrames.add((int) frame); // "consider" off: an ignored region or a distractor
                continue;
            }
            Map<Long, Long> inFrame = seen.computeIfAbsent((int) frame, k -> new HashMap<>());
            Long first = inFrame.putIfAbsent(id, lineNo);
            if (first != null) {
                throw new EvalInputException(name, lineNo, "id " + id + " appears twice in frame " + frame + " (first on line " + first + ")");
            }
            if (inFrame.size() > MAX_BOXES_PER_FRAME) {
                throw new EvalInputException(name, lineNo, "more than " + MAX_BOXES_PER_FRAME + " boxes in frame " + frame + " (the evaluation's limit)");
            }
            if (ids.add(id) && ids.size() > MAX_IDS) {
                throw new EvalInputException(name, lineNo, "more than " + MAX_IDS + " distinct ids (the evaluation's limit)");
            }
            boxes.add(new MotBox((int) frame, id, x, y, w, h, kind == Kind.GROUND_TRUTH ? 1 : sixth));
        }
        return Sequence.of(boxes, ignoredFrames);
    }

    private static double number(String field, String what, Path name, long lineNo) throws EvalInputException {
        String s = field.strip();
        try {
            double v = Double.parseDouble(s);
            if (Double.isFinite(v)) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new EvalInputException(name, lineNo, what + " '" + s + "' is not a number");
    }

    /** Integers, also written as "3.0" (some trackers write every field as a float). */
    private static long integral(String field, String what, Path name, long lineNo) throws EvalInputException {
        double v = number(field, what, name, lineNo);
        if (v != Math.rint(v) || Math.abs(v) > 1e15) {
            throw new EvalInputException(name, lineNo, what + " '" + field.strip() + "' is not an integer");
        }
        return (long) v;
    }
}
