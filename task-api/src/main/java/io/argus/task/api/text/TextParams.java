package io.argus.task.api.text;

import io.argus.task.api.Params;
import io.argus.task.api.TaskException;
import org.jspecify.annotations.Nullable;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Parameters of the {@code text} task (text lines found, read with Tesseract, pooled per track).
 *
 * @param minConfidence    lowest Tesseract confidence of a line reading, 0-100, default {@link #DEFAULT_MIN_CONFIDENCE}
 * @param agree            readings of a track before it is reported, 1-100, default {@link #DEFAULT_AGREE}
 * @param forgetFrames     frames a track unseen is kept, 1-100000, default {@link #DEFAULT_FORGET_FRAMES}
 * @param maxLines         lines read per frame, the most promising first, 1-200, default {@link #DEFAULT_MAX_LINES}
 * @param watch            the {@code watch} parameter compiled (see {@link WatchList} for its syntax and bounds)
 * @param sparse           also run Tesseract's sparse-text mode over the frame, default {@link #DEFAULT_SPARSE};
 *                         engine {@code mser-tesseract} only (with PP-OCR's lines it added only false words)
 * @param sparseConfidence lowest confidence of a sparse word, 0-100, default {@link #DEFAULT_SPARSE_CONFIDENCE}
 * @param maxSide          longest side of the working copy lines are found in, 160-8192 (PP-OCR's detector: at
 *                         most 960, its published input bound, whatever this says), default
 *                         {@link #DEFAULT_MAX_SIDE}
 * @param showCandidates   also return every detected line box, for tuning (default false)
 * @param engine           how lines are found and read ({@link TextEngine}: {@code mser-tesseract},
 *                         {@code ppocr-tesseract}, {@code ppocr}, {@code ppocr-mixed}), default
 *                         {@link #DEFAULT_ENGINE}
 */
public record TextParams(double minConfidence, int agree, int forgetFrames, int maxLines, WatchList watch,
                         boolean sparse, double sparseConfidence, int maxSide, boolean showCandidates,
                         TextEngine engine) {
    public static final double DEFAULT_MIN_CONFIDENCE = 55;
    public static final int DEFAULT_AGREE = 3;
    public static final int DEFAULT_FORGET_FRAMES = 30;
    public static final int DEFAULT_MAX_LINES = 12;
    public static final boolean DEFAULT_SPARSE = true;
    public static final double DEFAULT_SPARSE_CONFIDENCE = 75;
    /** Longest side of the working copy lines and sparse words are found in, unless the stream says otherwise. */
    public static final int DEFAULT_MAX_SIDE = 640;
    /** The engine unless the stream says otherwise (BENCHMARKS.md, "Text engines": chosen by measurement). */
    public static final TextEngine DEFAULT_ENGINE = TextEngine.PPOCR_MIXED;

    /**
     * Watch lists already compiled, by specification: the configuration is read on every frame,
     * and compiling up to {@link WatchList#DEFAULT_MAX_PATTERNS} patterns per frame would cost
     * more than reading the text. Cleared when full (a stream's list rarely changes).
     */
    private static final Map<String, WatchList> WATCH_LISTS = new ConcurrentHashMap<>();
    private static final int WATCH_LISTS_CACHED = 64;

    public static TextParams parse(Map<String, String> p) throws TaskException {
        return new TextParams(Params.doubleParam(p, "minConfidence", DEFAULT_MIN_CONFIDENCE, 0, 100),
                Params.intParam(p, "agree", DEFAULT_AGREE, 1, 100),
                Params.intParam(p, "forgetFrames", DEFAULT_FORGET_FRAMES, 1, 100_000),
                Params.intParam(p, "maxLines", DEFAULT_MAX_LINES, 1, 200),
                watchList(p.getOrDefault("watch", "")),
                Params.boolParam(p, "sparse", DEFAULT_SPARSE),
                Params.doubleParam(p, "sparseConfidence", DEFAULT_SPARSE_CONFIDENCE, 0, 100),
                Params.intParam(p, "maxSide", DEFAULT_MAX_SIDE, 160, 8192),
                Params.boolParam(p, "showCandidates", false),
                engine(p.get("engine")));
    }

    static TextEngine engine(@Nullable String value) throws TaskException {
        return value == null || value.isBlank() ? DEFAULT_ENGINE : TextEngine.parse("engine", value);
    }

    /** The compiled watch list of a {@code watch} parameter (see {@link WatchList} for its syntax and bounds). */
    static WatchList watchList(String spec) throws TaskException {
        if (spec.isBlank()) {
            return WatchList.EMPTY;
        }
        WatchList cached = WATCH_LISTS.get(spec);
        if (cached != null) {
            return cached;
        }
        WatchList parsed = WatchList.parse(spec); // refused specifications are not cached
        if (WATCH_LISTS.size() >= WATCH_LISTS_CACHED) {
            WATCH_LISTS.clear();
        }
        WATCH_LISTS.put(spec, parsed);
        return parsed;
    }
}
