package io.argus.agent.task.text;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.argus.media.image.MatScope;
import io.argus.task.geom.BoxF;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Rect;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

import java.nio.FloatBuffer;
import java.util.Map;

/**
 * Reads one line with PaddleOCR's PP-OCRv4 recogniser (SVTR, CTC; Chinese and English, 6625
 * classes), with its published pre- and post-processing: the crop is scaled to {@link #HEIGHT}
 * pixels high keeping its aspect ratio, pixels normalised to [-1, 1] in the frame's BGR order, and
 * padded with zeros on the right to at least {@link #MIN_WIDTH} (the 3x48x320 shape it was trained
 * on); the output (softmax already applied) is decoded greedily: the best class per step, repeats
 * collapsed, blanks dropped. The confidence is the mean probability of the characters kept, x 100
 * (Tesseract's scale).
 *
 * <p>The input width is bounded by {@link #MAX_WIDTH}: a longer line is squeezed to it, so no crop
 * can make the network's input (and its time) grow without limit.
 */
public final class PpOcrReader implements LineReader {
    static final int HEIGHT = 48;
    static final int MIN_WIDTH = 320;
    /** 40 character heights: longer than any sign line, 4x the training width. */
    static final int MAX_WIDTH = 40 * HEIGHT;
    /** PaddleOCR's drop_score: readings less confident than this (x 100) are dropped. */
    public static final double DROP_SCORE = 50;

    /**
     * The space class's probability, at a step the blank wins, from which the gap between two Latin
     * letters or digits is read as a space (PP-OCR's Chinese-English recogniser, trained mostly on
     * Chinese, gives the blank most of the weight at narrow word gaps: NOPARKING, THESHIP).
     */
    public static final double SPACE_PROBABILITY = 0.01;

    private final PpOcrModels models;
    private final double spaceProbability;

    public PpOcrReader(PpOcrModels models) {
        this(models, SPACE_PROBABILITY);
    }

    /** @param spaceProbability see {@link #SPACE_PROBABILITY}; over 1: never (the greedy decoding alone) */
    public PpOcrReader(PpOcrModels models, double spaceProbability) {
        this.models = models;
        this.spaceProbability = spaceProbability;
    }

    @Override
    public LineRecognizer.Reading read(Mat bgr, BoxF box) {
        int x = (int) Math.max(0, Math.floor(box.x()));
        int y = (int) Math.max(0, Math.floor(box.y()));
        int x1 = (int) Math.min(bgr.cols(), Math.ceil(box.x() + box.w()));
        int y1 = (int) Math.min(bgr.rows(), Math.ceil(box.y() + box.h()));
        if (x1 - x < 4 || y1 - y < 4) {
            return new LineRecognizer.Reading("", 0);
        }
        int textW = (int) Math.min(MAX_WIDTH, Math.ceil((double) HEIGHT * (x1 - x) / (y1 - y)));
        int inW = Math.max(MIN_WIDTH, (textW + 7) / 8 * 8);
        float[] data = new float[3 * HEIGHT * inW]; // zeros: the padding, mid-gray after normalisation
        try (MatScope s = new MatScope()) {
            Mat crop = s.add(bgr.submat(new Rect(x, y, x1 - x, y1 - y)));
            Mat sized = s.add(new Mat());
            Imgproc.resize(crop, sized, new Size(textW, HEIGHT), 0, 0, Imgproc.INTER_LINEAR);
            Mat f = s.add(new Mat());
            sized.convertTo(f, CvType.CV_32FC3, 2 / 255.0, -1); // (x / 255 - 0.5) / 0.5
            float[] hwc = new float[3 * HEIGHT * textW];
            f.get(0, 0, hwc);
            for (int r = 0; r < HEIGHT; r++) {
                for (int c = 0; c < textW; c++) {
                    int src = 3 * (r * textW + c);
                    for (int ch = 0; ch < 3; ch++) {
                        data[(ch * HEIGHT + r) * inW + c] = hwc[src + ch];
                    }
                }
            }
        }
        OrtSession session = models.recogniser();
        try (OnnxTensor t = OnnxTensor.createTensor(models.env(), FloatBuffer.wrap(data), new long[] {1, 3, HEIGHT, inW});
             OrtSession.Result r = session.run(Map.of(session.getInputNames().iterator().next(), t))) {
            OnnxTensor out = (OnnxTensor) r.get(0);
            long[] shape = out.getInfo().getShape();
            int steps = (int) shape[1];
            int classes = (int) shape[2];
            if (classes != models.classCount()) {
                throw new IllegalStateException("PP-OCR recogniser has " + classes + " classes, the dictionary "
                        + models.classCount());
            }
            FloatBuffer probs = out.getFloatBuffer();
            return decode(probs, steps, classes);
        } catch (OrtException e) {
            throw new IllegalStateException("PP-OCR recogniser failed: " + e.getMessage(), e);
        }
    }

    /**
     * Greedy CTC: the best class per step, repeats collapsed, blanks (class 0) dropped; and a space
     * between two Latin letters or digits where, in the steps between them, the space class reaches
     * {@link #SPACE_PROBABILITY} though the blank outscores it.
     */
    private LineRecognizer.Reading decode(FloatBuffer probs, int steps, int classes) {
        StringBuilder text = new StringBuilder();
        double sum = 0;
        int kept = 0;
        int previous = -1;
        int space = classes - 1;
        float gapSpace = 0; // the space class's highest probability since the last character kept
        for (int t = 0; t < steps; t++) {
            int best = 0;
            float p = -1;
            int base = t * classes;
            for (int c = 0; c < classes; c++) {
                float v = probs.get(base + c);
                if (v > p) {
                    p = v;
                    best = c;
                }
            }
            if (best != 0 && best != previous) {
                String ch = models.className(best);
                if (best != space && gapSpace >= spaceProbability && text.length() > 0
                        && latinAlnum(text.charAt(text.length() - 1)) && latinAlnum(ch.charAt(0))) {
                    text.append(' ');
                }
                text.append(ch);
                sum += p;
                kept++;
                gapSpace = 0;
            } else if (best == 0) {
                gapSpace = Math.max(gapSpace, probs.get(base + space));
            }
            previous = best;
        }
        return new LineRecognizer.Reading(text.toString().trim(), kept == 0 ? 0 : 100 * sum / kept);
    }

    private static boolean latinAlnum(char c) {
        return c < 0x250 && Character.isLetterOrDigit(c);
    }
}
