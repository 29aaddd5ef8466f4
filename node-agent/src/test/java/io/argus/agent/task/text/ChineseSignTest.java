package io.argus.agent.task.text;

import io.argus.agent.state.StreamStateStore;
import io.argus.agent.task.TaskContext;
import io.argus.media.image.OpenCv;
import io.argus.protocol.v1.TaskResult;
import io.argus.testing.TestAssets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Point;
import org.opencv.imgproc.Imgproc;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.GraphicsEnvironment;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Chinese signs, rendered with every installed font that has their characters (Debian's
 * fonts-wqy-zenhei and fonts-droid-fallback; {@code bin/argus test} installs the first), read by the
 * default engine: PP-OCR reads Chinese lines itself (Tesseract reads only lines PP-OCR read as Latin).
 * Each sign is turned by up to 2 degrees and given sensor noise, at 20 to 40 pixels a character.
 * Scored by character (edit distance over the phrase's characters, spaces ignored).
 */
class ChineseSignTest {
    static final String[] SIGNS = {"禁止停车", "紧急出口", "请勿吸烟", "停车场入口", "小心地滑", "北京西站", "营业时间", "非工作人员禁止入内"};
    /** Character heights in pixels: 20 is small print for a 640-pixel camera frame. */
    static final int[] SIZES = {40, 28, 20};
    static final double[] ANGLES = {-2, 0, 2};
    static TextTask task;
    static StreamStateStore states;

    @BeforeAll
    static void setUp() {
        System.setProperty("java.awt.headless", "true");
        OpenCv.load();
        PpOcrModels ppocr = PpOcrModels.loadIfPresent();
        assertThat(ppocr).as("PP-OCR models on the test classpath").isNotNull();
        task = new TextTask(new TextLineDetector(1280),
                new LineRecognizer(TestAssets.root().resolve("models/tessdata"), "eng"), ppocr);
        states = new StreamStateStore(Duration.ofMinutes(1));
    }

    @AfterAll
    static void tearDown() {
        states.close();
        task.close();
    }

    /** Installed fonts that can draw every sign (the logical fonts, which fall back silently, excluded). */
    static List<Font> cjkFonts() {
        List<Font> out = new ArrayList<>();
        for (Font f : GraphicsEnvironment.getLocalGraphicsEnvironment().getAllFonts()) {
            String family = f.getFamily();
            if (List.of("Dialog", "DialogInput", "Monospaced", "Serif", "SansSerif").contains(family)
                    || out.stream().anyMatch(o -> o.getFamily().equals(family))) {
                continue;
            }
            if (java.util.Arrays.stream(SIGNS).allMatch(s -> f.canDisplayUpTo(s) == -1)) {
                out.add(f);
            }
        }
        return out;
    }

    /** A sign: the text in {@code px}-pixel characters, dark on light or light on dark, with a margin. */
    static Mat render(String text, Font base, int px, boolean dark) {
        Font font = base.deriveFont(Font.PLAIN, (float) px);
        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D pg = probe.createGraphics();
        FontMetrics fm = pg.getFontMetrics(font);
        int w = fm.stringWidth(text) + 4 * px;
        int h = fm.getHeight() + 4 * px;
        pg.dispose();
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(dark ? new Color(235, 235, 225) : new Color(20, 60, 150));
        g.fillRect(0, 0, w, h);
        g.setColor(dark ? new Color(30, 30, 30) : new Color(250, 250, 250));
        g.setFont(font);
        g.drawString(text, 2 * px, 2 * px + fm.getAscent());
        g.dispose();
        byte[] bgr = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        Mat m = new Mat(h, w, CvType.CV_8UC3);
        m.put(0, 0, bgr);
        return m;
    }

    /** As a camera sees it: turned by {@code degrees}, with sensor noise (sigma 8 gray levels). */
    static Mat photograph(Mat sign, double degrees, long seed) {
        Mat rot = Imgproc.getRotationMatrix2D(new Point(sign.cols() / 2.0, sign.rows() / 2.0), degrees, 1);
        Mat turned = new Mat();
        Imgproc.warpAffine(sign, turned, rot, sign.size(), Imgproc.INTER_LINEAR, Core.BORDER_REPLICATE);
        Mat noise = new Mat(turned.size(), CvType.CV_16SC3);
        Core.setRNGSeed((int) seed);
        Core.randn(noise, 0, 8);
        Mat noisy = new Mat();
        turned.convertTo(noisy, CvType.CV_16SC3);
        Core.add(noisy, noise, noisy);
        noisy.convertTo(turned, CvType.CV_8UC3);
        rot.release();
        noise.release();
        noisy.release();
        return turned;
    }

    @Test
    void chineseSignsInEveryInstalledChineseFontAreReadCharacterForCharacter() throws Exception {
        List<Font> fonts = cjkFonts();
        assertThat(fonts).as("a font with Chinese characters (Debian: fonts-wqy-zenhei; bin/argus test installs it)")
                .isNotEmpty();
        List<String> wrong = new ArrayList<>();
        double accuracy = accuracy(fonts, Map.of("agree", "1"), wrong);
        assertThat(accuracy).as("character accuracy over %d signs in %d fonts; misread: %s", fonts.size() * SIGNS.length,
                fonts.size(), wrong).isGreaterThanOrEqualTo(0.95);
        // the English-only fallback engine on the same signs: what the PP-OCR reader is for
        double english = accuracy(fonts, Map.of("agree", "1", "engine", "mser-tesseract"), new ArrayList<>());
        assertThat(english).as("MSER + Tesseract (English model) on Chinese signs").isLessThan(0.5);
    }

    static double accuracy(List<Font> fonts, Map<String, String> params, List<String> wrong) throws Exception {
        long chars = 0;
        long errors = 0;
        int n = 0;
        for (Font f : fonts) {
            for (int i = 0; i < SIGNS.length; i++) {
                String sign = SIGNS[i];
                Mat clean = render(sign, f, SIZES[i % SIZES.length], i % 3 != 0);
                Mat img = photograph(clean, ANGLES[(i + n) % ANGLES.length], n);
                clean.release();
                try {
                    String stream = "zh-" + params.getOrDefault("engine", "default") + "-" + n++;
                    TaskResult r = task.run(new TaskContext(stream, 0, 0, 0, img, params, states.acquire(stream, 0)));
                    String got = TextTaskTest.allText(r).replaceAll("\\s", "");
                    int d = TextTaskTest.levenshtein(sign, got);
                    chars += sign.length();
                    errors += Math.min(d, sign.length());
                    if (d > 0) {
                        wrong.add(f.getFamily() + ": " + sign + " -> " + got);
                    }
                } finally {
                    img.release();
                }
            }
        }
        return 1 - (double) errors / chars;
    }
}
