package io.argus.agent.task.text;

import io.argus.agent.task.EventIds;
import io.argus.agent.task.StatefulTask;
import io.argus.agent.task.TaskContext;
import io.argus.protocol.v1.Box;
import io.argus.protocol.v1.Code;
import io.argus.protocol.v1.Event;
import io.argus.protocol.v1.Overlay;
import io.argus.protocol.v1.TaskResult;
import io.argus.protocol.v1.TextLabel;
import io.argus.task.api.TaskException;
import io.argus.task.api.TaskNames;
import io.argus.task.api.text.TextEngine;
import io.argus.task.api.text.TextParams;
import io.argus.task.api.text.WatchList;
import io.argus.task.geom.BoxF;
import org.jspecify.annotations.Nullable;
import org.opencv.core.Mat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code text}: finds text lines and reads each one. Reading a whole scene with Tesseract finds
 * little: it expects a page; finding the lines first and reading each as a single line is what
 * works on signs and plates. The {@code engine} parameter ({@link TextEngine}) chooses the line
 * finder, PaddleOCR's PP-OCRv4 detector ({@link PpOcrDetector}) or MSER ({@link TextLineDetector}),
 * and the reader, PP-OCRv4's recogniser ({@link PpOcrReader}), Tesseract ({@link LineRecognizer})
 * or both (PP-OCR reads, Tesseract supplies the word spaces of English lines). Without the PP-OCR
 * models every engine runs as MSER and Tesseract.
 *
 * <p>Per stream, readings of the same text across frames are pooled into a track; once it has been
 * seen {@code agree} times (default 3; 1 for still photos) a {@code text} event reports its agreed
 * reading, once. A watch list of regular expressions raises one {@code watch} event per track whose
 * agreed reading matches.
 *
 * <p>Lines and sparse words are found in a working copy of the frame no larger than {@code maxSide}
 * pixels on its longest side (default 640, a camera's resolution: frames of that size or smaller
 * are searched as they are); each line is then read from the full-resolution frame. Text shorter
 * than about 8 pixels in the working copy (16 in a 1280-pixel photo) is not found: raise
 * {@code maxSide} for small print in large frames, at a cost that grows with its square.
 *
 * <p>Parameters, their defaults and ranges: {@link TextParams}; the {@code watch} list is RE2 syntax,
 * matched in linear time, bounded by {@link WatchList}.
 * Result: a box and a text label per reading; {@code text.i} and {@code text.i.confidence}.
 */
public final class TextTask implements StatefulTask<TextState> {
    public static final String NAME = TaskNames.TEXT;
    private final TextLines detector;
    private final LineRecognizer recognizer;
    private final @Nullable PpOcrModels ppocr;
    private final @Nullable PpOcrDetector ppocrLines;
    private final @Nullable PpOcrReader ppocrReader;

    /** MSER (or another {@link TextLines}) and Tesseract only: every engine runs as {@code mser-tesseract}. */
    public TextTask(TextLines detector, LineRecognizer recognizer) {
        this(detector, recognizer, null);
    }

    /**
     * @param detector   the lines of the {@code mser-tesseract} engine, and of every engine when
     *                   {@code ppocr} is null
     * @param recognizer Tesseract
     * @param ppocr      the PP-OCR models ({@link PpOcrModels#loadIfPresent()}), closed with the task;
     *                   null when absent
     */
    public TextTask(TextLines detector, LineRecognizer recognizer, @Nullable PpOcrModels ppocr) {
        this.detector = detector;
        this.recognizer = recognizer;
        this.ppocr = ppocr;
        this.ppocrLines = ppocr == null ? null : new PpOcrDetector(ppocr);
        this.ppocrReader = ppocr == null ? null : new PpOcrReader(ppocr);
    }

    /** The engine a frame actually runs: the one asked for, or {@code mser-tesseract} without the PP-OCR models. */
    public TextEngine effectiveEngine(TextParams cfg) {
        return ppocr == null ? TextEngine.MSER_TESSERACT : cfg.engine();
    }

    /** The line boxes the task would read in a frame, most promising first (also for benchmarks). */
    public List<BoxF> findLines(Mat bgr, TextParams cfg) {
        PpOcrDetector pp = ppocrLines;
        return pp != null && effectiveEngine(cfg).ppocrLines() ? pp.detect(bgr, cfg.maxSide()) : detector.detect(bgr, cfg.maxSide());
    }

    /** One line's reading with the frame's engine, or null when it is not confident enough to report. */
    public LineRecognizer.@Nullable Reading readLine(Mat bgr, BoxF box, TextParams cfg) {
        PpOcrReader pp = ppocrReader;
        TextEngine engine = effectiveEngine(cfg);
        if (pp == null || engine == TextEngine.MSER_TESSERACT || engine == TextEngine.PPOCR_TESSERACT) {
            LineRecognizer.Reading r = recognizer.read(bgr, box);
            return r.confidence() >= cfg.minConfidence() ? r : null;
        }
        LineRecognizer.Reading first = null;
        if (engine == TextEngine.PPOCR_MIXED) {
            // Tesseract first: it reads an English line in a third of PP-OCR's time, and a reading it
            // is sure of (its CONFIDENT, 80) stood as well as PP-OCR's on the photos (BENCHMARKS.md,
            // "Text engines": same words, same false words, reading CPU 100 -> 49 ms per photo);
            // Chinese lines, on which the English model is not confident (ChineseSignTest), go on to PP-OCR
            first = recognizer.read(bgr, box);
            if (first.confidence() >= LineRecognizer.CONFIDENT && !first.text().isEmpty() && latin(first.text())) {
                return first;
            }
        }
        LineRecognizer.Reading p = pp.read(bgr, box);
        if (p.confidence() < PpOcrReader.DROP_SCORE) {
            return null;
        }
        if (engine == TextEngine.PPOCR || !latin(p.text())) {
            return p;
        }
        // a Latin line: Tesseract keeps the spaces between English words that PP-OCR's
        // Chinese-English recogniser drops (THESHIP). Its reading is taken only when it has the same
        // letters and digits as PP-OCR's, i.e. when it adds nothing but spaces and case: where the two
        // disagree PP-OCR is the better reader (a sign's border read by Tesseract as a letter, INOTICE)
        // letters agree, the word breaks of both readers are kept: each reader misses some (Tesseract
        // and PP-OCR both read NOPARKING from the greedy decoding, PP-OCR's space probability splits it)
        LineRecognizer.Reading t = first != null ? first : recognizer.read(bgr, box);
        return t.confidence() >= cfg.minConfidence() && TextTrack.normalise(t.text()).equals(TextTrack.normalise(p.text()))
                ? new LineRecognizer.Reading(withBreaksOf(t.text(), p.text()), p.confidence()) : p;
    }

    /**
     * {@code text} with a space added wherever {@code other}, which has the same letters and digits
     * ({@link TextTrack#normalise}), breaks a word that {@code text} does not.
     */
    static String withBreaksOf(String text, String other) {
        Set<Integer> breaks = new HashSet<>(); // letters of other before which a word starts
        int k = 0;
        boolean gap = false;
        for (int i = 0; i < other.length(); i++) {
            char c = other.charAt(i);
            if (TextTrack.normalise(String.valueOf(c)).isEmpty()) {
                gap |= Character.isWhitespace(c);
                continue;
            }
            if (gap && k > 0) {
                breaks.add(k);
            }
            gap = false;
            k++;
        }
        StringBuilder out = new StringBuilder();
        k = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!TextTrack.normalise(String.valueOf(c)).isEmpty()) {
                if (breaks.contains(k) && out.length() > 0 && !Character.isWhitespace(out.charAt(out.length() - 1))) {
                    out.append(' ');
                }
                k++;
            }
            out.append(c);
        }
        return out.toString();
    }

    /** Only Latin letters, digits, punctuation and spaces: a line Tesseract's English model can read. */
    static boolean latin(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) > 0x24f) {
                return false;
            }
        }
        return true;
    }

    @Override
    public long maxPixels() {
        return HEAVY_TASK_MAX_PIXELS;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void validate(Map<String, String> params) throws TaskException {
        TextParams.parse(params);
    }

    @Override
    public TaskResult run(TaskContext ctx) throws TaskException {
        TextParams cfg = TextParams.parse(ctx.params());
        TextState st = ctx.state(this);
        TaskResult.Builder out = TaskResult.newBuilder().setTask(NAME).setStatus(Code.OK);
        // budget checks come before any change to the stream's tracks: stopped, the frame leaves them as they were
        ctx.checkBudget("text.detect");
        List<BoxF> lines = findLines(ctx.frame(), cfg);
        if (cfg.showCandidates()) {
            for (BoxF b : lines) {
                out.addOverlays(Overlay.newBuilder().setBox(Box.newBuilder().setX((float) b.x()).setY((float) b.y())
                        .setWidth((float) b.w()).setHeight((float) b.h()).setLabel("candidate")));
            }
        }
        int n = 0;
        List<Found> found = new ArrayList<>();
        for (BoxF box : lines.subList(0, Math.min(cfg.maxLines(), lines.size()))) {
            ctx.checkBudget("text.line");
            LineRecognizer.Reading r = readLine(ctx.frame(), box, cfg);
            if (r != null && plausible(r.text())) {
                found.add(new Found(box, r));
            }
        }
        if (cfg.sparse() && !effectiveEngine(cfg).ppocrLines()) {
            ctx.checkBudget("text.sparse");
            // words Tesseract's own layout analysis finds that no line reading already covers; not
            // with PP-OCR's lines, which find those words too: there the pass added only false
            // words (BENCHMARKS.md, "Text engines")
            for (LineRecognizer.Word w : recognizer.sparseWords(ctx.frame(), cfg.sparseConfidence(), cfg.maxSide())) {
                if (!plausible(w.text()) || covered(found, w)) {
                    continue;
                }
                found.add(new Found(w.box(), new LineRecognizer.Reading(w.text(), w.confidence())));
            }
        }
        ctx.checkBudget("text.track");
        // report in reading order: top to bottom, then left to right within a line
        found.sort((a, b) -> Math.abs(a.box().cy() - b.box().cy()) < 0.5 * Math.min(a.box().h(), b.box().h())
                ? Double.compare(a.box().x(), b.box().x()) : Double.compare(a.box().cy(), b.box().cy()));
        for (Found f : found) {
            BoxF box = f.box();
            LineRecognizer.Reading r = f.reading();
            out.addOverlays(Overlay.newBuilder().setBox(Box.newBuilder().setX((float) box.x()).setY((float) box.y())
                    .setWidth((float) box.w()).setHeight((float) box.h()).setLabel("text")
                    .setScore((float) (r.confidence() / 100))));
            out.addOverlays(Overlay.newBuilder().setText(TextLabel.newBuilder().setX((float) box.x())
                    .setY((float) box.y()).setText(r.text()).setConfidence((float) r.confidence())));
            out.putStrings("text." + n, r.text());
            out.putNumbers("text." + n + ".confidence", Math.round(r.confidence() * 10) / 10.0);
            n++;
            TextTrack t = st.match(box, r.text(), ctx.sourceIndex());
            t.add(r.text(), r.confidence());
            if (!t.reported && t.sightings >= cfg.agree()) {
                t.reported = true;
                out.addEvents(event(ctx, "text", EventIds.of(ctx, NAME, "text", "", t.id), t, null));
            }
            if (t.reported && !t.watched) {
                int i = cfg.watch().firstMatch(t.agreed());
                if (i >= 0) {
                    t.watched = true;
                    out.addEvents(event(ctx, "watch", EventIds.of(ctx, NAME, "watch",
                            "pattern-" + i, t.id), t, cfg.watch().pattern(i)));
                }
            }
        }
        st.forget(ctx.sourceIndex(), cfg.forgetFrames());
        return out.putNumbers("text.count", n).putNumbers("text.candidates", lines.size()).build();
    }

    record Found(BoxF box, LineRecognizer.Reading reading) {
    }

    /** A sparse word overlapping a line reading whose text already contains it. */
    static boolean covered(List<Found> found, LineRecognizer.Word w) {
        String key = TextTrack.normalise(w.text());
        for (Found f : found) {
            if (f.box().overlapOfSmaller(w.box()) > 0.5
                    && (key.isEmpty() || TextTrack.normalise(f.reading().text()).contains(key)
                    || f.reading().confidence() >= w.confidence())) {
                return true;
            }
        }
        return false;
    }

    /** At least two letters or digits, and mostly letters, digits and ordinary punctuation. */
    static boolean plausible(String text) {
        int alnum = 0;
        int odd = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isLetterOrDigit(c)) {
                alnum++;
            } else if (" -.,:;'&!?/()#".indexOf(c) < 0) {
                odd++;
            }
        }
        return alnum >= 2 && odd <= alnum / 3;
    }

    private static Event event(TaskContext ctx, String type, String id, TextTrack t, @Nullable String pattern) {
        Event.Builder e = Event.newBuilder().setId(id).setType(type).setStreamId(ctx.streamId())
                .setSourceIndex(ctx.sourceIndex()).setTimeUs(ctx.eventTimeUs())
                .putAttributes("text", t.agreed())
                .putAttributes("confidence", Long.toString(Math.round(t.agreedConfidence())))
                .putAttributes("track", Long.toString(t.id))
                .putAttributes("box", Math.round(t.x) + "," + Math.round(t.y) + "," + Math.round(t.w) + "," + Math.round(t.h));
        if (pattern != null) {
            e.putAttributes("pattern", pattern);
        }
        return e.build();
    }

    @Override
    public TextState newState() {
        return new TextState();
    }

    @Override
    public byte[] exportState(TextState state) {
        return state.export();
    }

    @Override
    public TextState importState(byte[] data) throws TaskException {
        try {
            return TextState.restore(data);
        } catch (IOException e) {
            throw new TaskException(Code.BAD_REQUEST, "text state does not parse: " + e.getMessage());
        }
    }

    @Override
    public long stateBytes(TextState state) {
        return 512L * state.tracks.size(); // a reading's readings and box, on the heap
    }

    @Override
    public Class<TextState> stateType() {
        return TextState.class;
    }

    @Override
    public void close() {
        recognizer.close();
        if (ppocr != null) {
            ppocr.close();
        }
    }
}
