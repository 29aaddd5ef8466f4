package io.argus.agent.task.text;

import io.argus.testing.TextImages;
import io.argus.media.image.MatScope;
import io.argus.media.image.OpenCv;
import io.argus.task.geom.BoxF;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencv.core.CvType;
import org.opencv.core.Mat;

import java.awt.Font;
import java.awt.image.BufferedImage;
import java.io.File;
import java.util.Locale;
import java.util.Objects;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PP-OCR's recogniser drops the space of a narrow word gap in its greedy decoding (NOPARKING);
 * {@link PpOcrReader#SPACE_PROBABILITY} reads the gap as a space where the space class reaches it.
 * English sign phrases (none from the scene photos) rendered in three DejaVu fonts (Debian's
 * fonts-dejavu-core) with the word gap set tight, at half the font's own space: the threshold must
 * split more lines into exactly their words than the greedy decoding, and add almost no breaks inside
 * words. The threshold itself comes from the larger sample of {@code io.argus.bench.WordSpaces}
 * (1,080 lines, BENCHMARKS.md).
 */
class PpOcrWordSpacesTest {
    static final String[] PHRASES = {"NO ENTRY", "KEEP LEFT", "PUSH TO OPEN", "WET FLOOR", "BUS STOP", "TAXI RANK",
        "DO NOT ENTER", "PRIVATE PROPERTY", "SCHOOL ZONE", "Main Street", "Post Office", "Pay Here", "Road Closed",
        "High Street", "Welcome to Leeds", "NO WAITING AT ANY TIME"};
    static final String[] FONTS = {"DejaVuSans-Bold.ttf", "DejaVuSansCondensed-Bold.ttf", "DejaVuSerif.ttf"};
    static PpOcrModels models;

    @BeforeAll
    static void setUp() {
        System.setProperty("java.awt.headless", "true");
        OpenCv.load();
        models = Objects.requireNonNull(PpOcrModels.loadIfPresent(), "PP-OCR models on the test classpath");
    }

    @AfterAll
    static void tearDown() {
        models.close();
    }

    @Test
    void narrowWordGapsAreReadAsSpacesWithoutSplittingWords() throws Exception {
        PpOcrReader greedy = new PpOcrReader(models, 2);
        PpOcrReader spaced = new PpOcrReader(models);
        int lines = 0;
        int[] exact = new int[2];
        int[] added = new int[2];
        for (String file : FONTS) {
            File f = new File("/usr/share/fonts/truetype/dejavu/" + file);
            assertThat(f).as("fonts-dejavu-core").exists();
            Font font = Font.createFont(Font.TRUETYPE_FONT, f).deriveFont(32f);
            for (String phrase : PHRASES) {
                try (MatScope s = new MatScope()) {
                    Mat img = s.add(render(phrase, font, 0.5));
                    BoxF box = new BoxF(0, 0, img.cols(), img.rows());
                    lines++;
                    PpOcrReader[] readers = {greedy, spaced};
                    for (int i = 0; i < 2; i++) {
                        String got = readers[i].read(img, box).text();
                        String want = phrase.toUpperCase(Locale.ROOT);
                        if (got.toUpperCase(Locale.ROOT).equals(want)) {
                            exact[i]++;
                        }
                        added[i] += Math.max(0, got.split(" ").length - want.split(" ").length);
                    }
                }
            }
        }
        assertThat(lines).isEqualTo(48);
        assertThat(exact[1]).as("lines read as exactly their words: greedy %d, with spaces %d", exact[0], exact[1])
                .isGreaterThan(exact[0]).isGreaterThanOrEqualTo(MEASURED_EXACT - 2);
        assertThat(added[1]).as("words split").isLessThanOrEqualTo(1);
    }

    /** Measured: 47 of the 48 lines (the greedy decoding alone: 34), no word split. */
    static final int MEASURED_EXACT = 47;

    /** {@link TextImages#render} as an OpenCV picture. */
    static Mat render(String phrase, Font font, double gapFactor) {
        BufferedImage img = TextImages.render(phrase, font, gapFactor);
        Mat m = new Mat(img.getHeight(), img.getWidth(), CvType.CV_8UC3);
        m.put(0, 0, TextImages.bgr(img));
        return m;
    }
}
