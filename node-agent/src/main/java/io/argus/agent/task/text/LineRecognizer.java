package io.argus.agent.task.text;

import io.argus.media.image.MatScope;
import io.argus.agent.task.WorkerLocal;
import io.argus.task.geom.BoxF;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.tesseract.ResultIterator;
import org.bytedeco.tesseract.TessBaseAPI;
import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.core.Rect;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.bytedeco.leptonica.global.leptonica.L_SEVERITY_NONE;
import static org.bytedeco.leptonica.global.leptonica.setMsgSeverity;
import static org.bytedeco.tesseract.global.tesseract.PSM_SINGLE_LINE;
import static org.bytedeco.tesseract.global.tesseract.PSM_SPARSE_TEXT;
import static org.bytedeco.tesseract.global.tesseract.RIL_WORD;

/**
 * Reads one text line with Tesseract (LSTM engine, page segmentation mode 7: a single line).
 * A {@link TessBaseAPI} must never be shared between threads, so each worker has its own.
 *
 * <p>The crop is converted to gray and scaled so that the line is {@code LINE_HEIGHT} pixels tall
 * (Tesseract's LSTM reads best with letters 20-30 pixels high), and framed with a border of its
 * own background colour.
 */
public final class LineRecognizer implements LineReader, AutoCloseable {
    static final int LINE_HEIGHT = 48;
    /**
     * A reading at least this confident (Tesseract's 0-100) is taken as it is; below it the line is
     * also read binarised and the better reading wins. On 192 rendered hard lines (low contrast,
     * noise, blur, busy backgrounds: {@code io.argus.bench.HardLines}) that reads 131 exactly,
     * against 127 when always reading twice and 126 when never, in 70% of the time of always
     * (BENCHMARKS.md, OCR).
     */
    public static final double CONFIDENT = 80;

    public record Reading(String text, double confidence) {
    }

    /** A word found by Tesseract's own sparse-text layout analysis, with its box in frame coordinates. */
    public record Word(String text, double confidence, BoxF box) {
    }

    private final WorkerLocal<TessBaseAPI> engines;
    private final double confident;

    public LineRecognizer(Path tessdataDir, String language) {
        this(tessdataDir, language, CONFIDENT);
    }

    /**
     * @param confident readings at least this confident are not read a second time, binarised
     *                  ({@link #CONFIDENT} by default; over 100: always read twice; 0: never)
     */
    public LineRecognizer(Path tessdataDir, String language, double confident) {
        this.confident = confident;
        // Leptonica reports every clipped box on stderr; the results carry what matters
        setMsgSeverity(L_SEVERITY_NONE);
        String dir = tessdataDir.toString();
        this.engines = new WorkerLocal<>(() -> {
            TessBaseAPI api = new TessBaseAPI();
            if (api.Init(dir, language) != 0) {
                api.close();
                throw new IllegalStateException("Tesseract cannot load '" + language + "' from " + dir);
            }
            api.SetPageSegMode(PSM_SINGLE_LINE);
            api.SetVariable("debug_file", "/dev/null");
            return api;
        }, api -> {
            api.End();
            api.close();
        });
        // fail at startup, not on the first frame, when the language data is missing
        engines.check();
    }

    @Override
    public Reading read(Mat bgr, BoxF box) {
        int x = (int) Math.max(0, Math.floor(box.x()));
        int y = (int) Math.max(0, Math.floor(box.y()));
        int x1 = (int) Math.min(bgr.cols(), Math.ceil(box.x() + box.w()));
        int y1 = (int) Math.min(bgr.rows(), Math.ceil(box.y() + box.h()));
        if (x1 - x < 4 || y1 - y < 4) {
            return new Reading("", 0);
        }
        try (MatScope s = new MatScope()) {
            Mat crop = s.add(bgr.submat(new Rect(x, y, x1 - x, y1 - y)));
            Mat gray = s.add(new Mat());
            Imgproc.cvtColor(crop, gray, Imgproc.COLOR_BGR2GRAY);
            double scale = (double) LINE_HEIGHT / gray.rows();
            Mat sized = s.add(new Mat());
            Imgproc.resize(gray, sized, new Size(Math.max(1, Math.round(gray.cols() * scale)), LINE_HEIGHT), 0, 0,
                    scale < 1 ? Imgproc.INTER_AREA : Imgproc.INTER_CUBIC);
            int pad = LINE_HEIGHT / 4;
            Scalar background = new Scalar(borderMedian(sized));
            Mat framed = s.add(new Mat());
            Core.copyMakeBorder(sized, framed, pad, pad, pad, pad, Core.BORDER_CONSTANT, background);
            Reading asIs = recognise(framed);
            if (asIs.confidence() >= confident) {
                return asIs; // a confident reading needs no second opinion
            }
            // second opinion on a clean black-on-white version (Otsu threshold, polarity from the
            // background): Tesseract's LSTM prefers it on busy or low-contrast signs
            Mat binary = s.add(new Mat());
            Imgproc.threshold(framed, binary, 0, 255, Imgproc.THRESH_BINARY | Imgproc.THRESH_OTSU);
            if (background.val[0] < 128) {
                Core.bitwise_not(binary, binary);
            }
            Reading clean = recognise(binary);
            return clean.confidence() > asIs.confidence() ? clean : asIs;
        }
    }

    private Reading recognise(Mat gray) {
        byte[] pixels = new byte[(int) gray.total()];
        gray.get(0, 0, pixels);
        TessBaseAPI api = engines.get();
        api.SetImage(pixels, gray.cols(), gray.rows(), 1, gray.cols());
        try {
            return words(api);
        } finally {
            api.Clear();
        }
    }

    /**
     * Tesseract's sparse-text mode (page segmentation 11) over the whole frame: its own layout
     * analysis finds isolated words the line detector can miss (and the other way round). Only words
     * at or above {@code minConfidence} are kept: in this mode Tesseract also "reads" foliage and
     * brickwork, with low confidence.
     */
    public List<Word> sparseWords(Mat bgr, double minConfidence) {
        return sparseWords(bgr, minConfidence, Integer.MAX_VALUE);
    }

    /**
     * As above, on a copy of the frame no larger than {@code maxSide} on its longest side (boxes in
     * frame coordinates). Tesseract's layout analysis costs in proportion to the pixels, and its
     * reader is tuned for letters 20-40 pixels high, so on scene photos a camera-sized copy finds
     * as many words as the full-size one, in half the time (BENCHMARKS.md, OCR).
     */
    public List<Word> sparseWords(Mat bgr, double minConfidence, int maxSide) {
        List<Word> out = new ArrayList<>();
        double scale = Math.min(1.0, (double) maxSide / Math.max(bgr.cols(), bgr.rows()));
        try (MatScope s = new MatScope()) {
            Mat gray = s.add(new Mat());
            Imgproc.cvtColor(bgr, gray, Imgproc.COLOR_BGR2GRAY);
            if (scale < 1) {
                Mat small = s.add(new Mat());
                Imgproc.resize(gray, small, new Size(Math.max(1, Math.round(gray.cols() * scale)),
                        Math.max(1, Math.round(gray.rows() * scale))), 0, 0, Imgproc.INTER_AREA);
                gray = small;
            }
            byte[] pixels = new byte[(int) gray.total()];
            gray.get(0, 0, pixels);
            TessBaseAPI api = engines.get();
            api.SetPageSegMode(PSM_SPARSE_TEXT);
            try {
                api.SetImage(pixels, gray.cols(), gray.rows(), 1, gray.cols());
                if (api.Recognize(null) != 0) {
                    return out;
                }
                ResultIterator it = api.GetIterator();
                if (it == null) {
                    return out;
                }
                try (IntPointer l = new IntPointer(1);
                     IntPointer t = new IntPointer(1);
                     IntPointer r = new IntPointer(1);
                     IntPointer b = new IntPointer(1)) {
                    do {
                        BytePointer w = it.GetUTF8Text(RIL_WORD);
                        if (w == null) {
                            continue;
                        }
                        String word;
                        try {
                            word = trimPunctuation(w.getString(StandardCharsets.UTF_8));
                        } finally {
                            w.deallocate();
                        }
                        float conf = it.Confidence(RIL_WORD);
                        if (word.isEmpty() || conf < minConfidence || !it.BoundingBox(RIL_WORD, l, t, r, b)) {
                            continue;
                        }
                        out.add(new Word(word, conf, new BoxF(l.get() / scale, t.get() / scale,
                                (r.get() - l.get()) / scale, (b.get() - t.get()) / scale)));
                    } while (it.Next(RIL_WORD));
                } finally {
                    it.deallocate();
                }
            } finally {
                api.Clear();
                api.SetPageSegMode(PSM_SINGLE_LINE);
            }
        }
        return out;
    }

    /**
     * The line as its words, each cleaned of stray punctuation at its edges (sign borders and
     * specks read as '|', ']' or ')') and dropped when Tesseract itself doubts it (word confidence
     * under {@link #MIN_WORD_CONFIDENCE}); the line's confidence is the character-weighted mean of
     * the words kept. One bad word at the end of a line no longer sinks a good reading.
     */
    static Reading words(TessBaseAPI api) {
        if (api.Recognize(null) != 0) {
            return new Reading("", 0);
        }
        ResultIterator it = api.GetIterator();
        if (it == null) {
            return new Reading("", 0);
        }
        StringBuilder text = new StringBuilder();
        double weighted = 0;
        int chars = 0;
        try {
            do {
                BytePointer w = it.GetUTF8Text(RIL_WORD);
                if (w == null) {
                    continue;
                }
                String word;
                try {
                    word = trimPunctuation(w.getString(StandardCharsets.UTF_8));
                } finally {
                    w.deallocate();
                }
                float conf = it.Confidence(RIL_WORD);
                if (word.isEmpty() || conf < MIN_WORD_CONFIDENCE) {
                    continue;
                }
                if (text.length() > 0) {
                    text.append(' ');
                }
                text.append(word);
                weighted += conf * word.length();
                chars += word.length();
            } while (it.Next(RIL_WORD));
        } finally {
            it.deallocate();
        }
        return new Reading(text.toString(), chars == 0 ? 0 : weighted / chars);
    }

    static final float MIN_WORD_CONFIDENCE = 40;

    static String trimPunctuation(String w) {
        int a = 0;
        int b = w.length();
        while (a < b && !Character.isLetterOrDigit(w.charAt(a))) {
            a++;
        }
        while (b > a && !Character.isLetterOrDigit(w.charAt(b - 1)) && ".!?".indexOf(w.charAt(b - 1)) < 0) {
            b--;
        }
        return w.substring(a, b);
    }

    private static double borderMedian(Mat gray) {
        int w = gray.cols();
        int h = gray.rows();
        int[] hist = new int[256];
        byte[] row = new byte[w];
        gray.get(0, 0, row);
        for (byte b : row) {
            hist[b & 0xff]++;
        }
        gray.get(h - 1, 0, row);
        for (byte b : row) {
            hist[b & 0xff]++;
        }
        int total = 2 * w;
        int acc = 0;
        for (int i = 0; i < 256; i++) {
            acc += hist[i];
            if (acc >= total / 2) {
                return i;
            }
        }
        return 255;
    }

    @Override
    public void close() {
        engines.close();
    }
}
