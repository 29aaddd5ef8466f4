package io.argus.agent.task.text;

import io.argus.task.geom.BoxF;
import org.opencv.core.Mat;

/** Reads the text of one line box of a frame: Tesseract ({@link LineRecognizer}) or PP-OCR ({@link PpOcrReader}). */
public interface LineReader {
    LineRecognizer.Reading read(Mat bgr, BoxF box);
}
