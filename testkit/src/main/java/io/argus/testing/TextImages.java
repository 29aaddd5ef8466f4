package io.argus.testing;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;

/**
 * A phrase rendered as a sign would show it (dark red on off-white, anti-aliased), with the gap
 * between words a chosen multiple of the font's own space: how the word-space tests and the
 * benchmark probe where a reader starts splitting or joining words.
 */
public final class TextImages {
    private TextImages() {
    }

    /** The phrase, words separated by {@code gapFactor} spaces of {@code font}, as a 3-byte BGR image. */
    public static BufferedImage render(String phrase, Font font, double gapFactor) {
        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g0 = probe.createGraphics();
        FontMetrics fm = g0.getFontMetrics(font);
        g0.dispose();
        String[] words = phrase.split(" ");
        int gap = (int) Math.round(fm.charWidth(' ') * gapFactor);
        int w = gap * (words.length - 1);
        for (String word : words) {
            w += fm.stringWidth(word);
        }
        int pad = fm.getHeight() / 3;
        BufferedImage img = new BufferedImage(w + 2 * pad, fm.getHeight() + pad, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(new Color(235, 235, 230));
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setColor(new Color(180, 20, 20));
        g.setFont(font);
        int x = pad;
        for (String word : words) {
            g.drawString(word, x, pad / 2 + fm.getAscent());
            x += fm.stringWidth(word) + gap;
        }
        g.dispose();
        return img;
    }

    /** The BGR bytes of a {@link BufferedImage#TYPE_3BYTE_BGR} image, row by row (an OpenCV CV_8UC3 layout). */
    public static byte[] bgr(BufferedImage img) {
        return ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
    }
}
