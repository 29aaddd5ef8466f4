package io.argus.task.api.text;

import io.argus.task.api.Params;
import io.argus.task.api.TaskException;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How the {@code text} task finds lines and reads them (the {@code engine} parameter). An agent
 * without the PP-OCR models (ONNX Runtime or the model files missing) runs every choice as
 * {@link #MSER_TESSERACT}.
 */
public enum TextEngine {
    /** MSER character regions chained into lines, each read by Tesseract (plus Tesseract's sparse-text pass). */
    MSER_TESSERACT("mser-tesseract"),
    /** PaddleOCR's PP-OCRv4 DB detector finds the lines, Tesseract reads them. */
    PPOCR_TESSERACT("ppocr-tesseract"),
    /** PP-OCRv4 finds and reads the lines (Chinese and English; it often drops the space between English words). */
    PPOCR("ppocr"),
    /**
     * PP-OCRv4 finds the lines; Tesseract reads each first, and a Latin reading it is sure of
     * (confidence 80 or more) stands. Other lines are read by PP-OCRv4; when that reading is Latin
     * and Tesseract's has the same letters and digits, Tesseract's is kept (it keeps the spaces
     * between words that PP-OCR drops); otherwise PP-OCR's reading stands (Chinese, and lines
     * Tesseract misreads).
     */
    PPOCR_MIXED("ppocr-mixed");

    private final String key;

    TextEngine(String key) {
        this.key = key;
    }

    /** The parameter's value for this engine. */
    public String key() {
        return key;
    }

    /** Whether lines are found by the PP-OCR detector. */
    public boolean ppocrLines() {
        return this != MSER_TESSERACT;
    }

    static TextEngine parse(String name, String value) throws TaskException {
        String v = value.trim().toLowerCase(Locale.ROOT);
        for (TextEngine e : values()) {
            if (e.key.equals(v)) {
                return e;
            }
        }
        throw Params.bad(name, value, "one of " + Arrays.stream(values()).map(TextEngine::key)
                .collect(Collectors.joining(", ")));
    }
}
