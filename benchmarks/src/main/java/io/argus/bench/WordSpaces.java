package io.argus.bench;

import io.argus.testing.TextImages;
import io.argus.agent.task.text.PpOcrModels;
import io.argus.agent.task.text.PpOcrReader;
import io.argus.media.image.OpenCv;
import io.argus.media.image.MatScope;
import io.argus.task.geom.BoxF;
import io.argus.testing.WordSpotting;
import org.opencv.core.CvType;
import org.opencv.core.Mat;

import java.awt.Font;
import java.awt.image.BufferedImage;
import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Random;
import java.util.Set;

/**
 * The labelled sample behind {@link PpOcrReader#SPACE_PROBABILITY}: 40 English sign phrases (none
 * from the scene photos of {@code words.tsv}) rendered in 9 installed fonts (DejaVu Sans Bold, Sans
 * Condensed Bold, Serif, Sans Mono; URW Nimbus Sans Bold, Nimbus Sans Narrow Bold, URW Gothic Demi,
 * C059, Nimbus Roman) at 24-40 pixels, dark red on off-white, with the word gap at 0.5, 0.75 and 1.0
 * times the font's own space (signs are often set tight): 1,080 lines, each read whole by PP-OCR's
 * recogniser with each threshold in turn. Counted on lines whose letters are read right: lines split
 * into exactly the phrase's words, word breaks missed and word breaks added.
 *
 * <p>Usage: {@code java -cp argus-benchmarks.jar io.argus.bench.WordSpaces [THRESHOLD ...]} (default:
 * 2, i.e. the greedy decoding alone, then 0.5 down to 0.002). Fonts: Debian's fonts-dejavu-core and
 * fonts-urw-base35.
 */
public final class WordSpaces {
    static final String[] PHRASES = {"NO ENTRY", "KEEP LEFT", "EXIT ONLY", "STAFF ONLY", "PUSH TO OPEN", "WET FLOOR",
        "BUS STOP", "FIRE EXIT", "CAR PARK FULL", "ONE WAY", "GIVE WAY", "DO NOT ENTER", "PRIVATE PROPERTY",
        "LOADING BAY", "NO SMOKING", "TAXI RANK", "Main Street", "Open 24 hours", "Police Station", "City Centre",
        "Platform 4", "Gate 12", "Town Hall", "Post Office", "Way Out", "Ticket Office", "Pay Here", "Slow Down",
        "Emergency Exit", "Road Closed", "Keep Clear", "Max Height 2.1m", "Visitors Parking", "Welcome to Leeds",
        "SCHOOL ZONE", "DEAD END", "Cycle Lane", "Market Square", "High Street", "NO WAITING AT ANY TIME"};
    static final String[] FONTS = {"truetype/dejavu/DejaVuSans-Bold.ttf", "truetype/dejavu/DejaVuSansCondensed-Bold.ttf",
        "truetype/dejavu/DejaVuSerif.ttf", "truetype/dejavu/DejaVuSansMono.ttf",
        "opentype/urw-base35/NimbusSans-Bold.otf", "opentype/urw-base35/NimbusSansNarrow-Bold.otf",
        "opentype/urw-base35/URWGothic-Demi.otf", "opentype/urw-base35/C059-Roman.otf",
        "opentype/urw-base35/NimbusRoman-Regular.otf"};
    static final double[] GAPS = {0.5, 0.75, 1.0};

    public static void main(String[] args) throws Exception {
        System.setProperty("java.awt.headless", "true");
        OpenCv.load();
        OpenCv.setThreads(1);
        double[] thresholds = args.length > 0 ? Arrays.stream(args).mapToDouble(Double::parseDouble).toArray()
                : new double[] {2, 0.5, 0.3, 0.1, 0.05, 0.02, 0.01, 0.005, 0.002};
        List<Font> fonts = new ArrayList<>();
        for (String f : FONTS) {
            fonts.add(Font.createFont(Font.TRUETYPE_FONT, new File("/usr/share/fonts/" + f)));
        }
        int[][] stats = new int[thresholds.length][4];
        Random rnd = new Random(1);
        int lines = 0;
        try (PpOcrModels models = Objects.requireNonNull(PpOcrModels.loadIfPresent(), "PP-OCR models")) {
            for (Font font : fonts) {
                for (double gap : GAPS) {
                    for (String phrase : PHRASES) {
                        int px = 24 + rnd.nextInt(17);
                        try (MatScope s = new MatScope()) {
                            Mat img = s.add(render(phrase, font.deriveFont((float) px), gap));
                            BoxF box = new BoxF(0, 0, img.cols(), img.rows());
                            lines++;
                            for (int i = 0; i < thresholds.length; i++) {
                                String got = new PpOcrReader(models, thresholds[i]).read(img, box).text();
                                if (!WordSpotting.normalise(got).equals(WordSpotting.normalise(phrase))) {
                                    continue;
                                }
                                stats[i][0]++;
                                Set<Integer> want = breaks(phrase);
                                Set<Integer> have = breaks(got);
                                if (want.equals(have)) {
                                    stats[i][1]++;
                                }
                                stats[i][2] += (int) want.stream().filter(b -> !have.contains(b)).count();
                                stats[i][3] += (int) have.stream().filter(b -> !want.contains(b)).count();
                            }
                        }
                    }
                }
            }
        }
        for (int i = 0; i < thresholds.length; i++) {
            System.out.printf(Locale.ROOT, "space probability %.3f: %d lines, letters right %d, split exactly %d,"
                    + " breaks missed %d, breaks added %d%n", thresholds[i], lines, stats[i][0], stats[i][1], stats[i][2],
                    stats[i][3]);
        }
    }

    /** Letter positions (in the letters and digits only) before which a new word starts. */
    static Set<Integer> breaks(String s) {
        Set<Integer> out = new HashSet<>();
        int k = 0;
        boolean gap = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (WordSpotting.normalise(String.valueOf(c)).isEmpty()) {
                gap |= Character.isWhitespace(c);
                continue;
            }
            if (gap && k > 0) {
                out.add(k);
            }
            gap = false;
            k++;
        }
        return out;
    }

    /** {@link TextImages#render} as an OpenCV picture. */
    static Mat render(String phrase, Font font, double gapFactor) {
        BufferedImage img = TextImages.render(phrase, font, gapFactor);
        Mat m = new Mat(img.getHeight(), img.getWidth(), CvType.CV_8UC3);
        m.put(0, 0, TextImages.bgr(img));
        return m;
    }
}
