package io.argus.task.image;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import org.jspecify.annotations.Nullable;

/**
 * Dimensions read from an encoded image's header without decoding it, so that absurd sizes
 * (decompression bombs) are refused before any pixel buffer is allocated.
 *
 * @param format "jpeg" or "png"
 * @param width  pixels
 * @param height pixels
 */
public record ImageHeader(String format, int width, int height) {

    /** Returns the header, or null if the bytes are neither a JPEG nor a PNG with a readable size. */
    public static @Nullable ImageHeader probe(byte[] data) {
        return probe(UnsafeByteOperations.unsafeWrap(data));
    }

    /** As {@link #probe(byte[])}, reading the bytes where they are (a network buffer, say). */
    public static @Nullable ImageHeader probe(ByteString data) {
        if (data.size() >= 24 && (data.byteAt(0) & 0xff) == 0x89 && data.byteAt(1) == 'P' && data.byteAt(2) == 'N'
                && data.byteAt(3) == 'G' && data.byteAt(12) == 'I' && data.byteAt(13) == 'H' && data.byteAt(14) == 'D'
                && data.byteAt(15) == 'R') {
            long w = u32(data, 16);
            long h = u32(data, 20);
            return new ImageHeader("png", (int) Math.min(w, Integer.MAX_VALUE), (int) Math.min(h, Integer.MAX_VALUE));
        }
        if (data.size() >= 4 && (data.byteAt(0) & 0xff) == 0xFF && (data.byteAt(1) & 0xff) == 0xD8) {
            return probeJpeg(data);
        }
        return null;
    }

    /**
     * The Exif orientation of a JPEG (1-8, TIFF tag 0x0112): 1 when it has none, when its Exif
     * data does not say, or when that data is damaged. Anything but 1 asks for a rotation or a
     * mirror, which only OpenCV's decoder applies; most camera photos carry Exif with orientation 1,
     * and those can take the fast decoder.
     */
    public static int exifOrientation(ByteString d) {
        int app1 = exifSegment(d);
        if (app1 < 0) {
            return 1;
        }
        int len = u16(d, app1 + 2);
        int tiff = app1 + 10;                       // after FF E1, length, "Exif\0\0"
        int end = Math.min(d.size(), app1 + 2 + len);
        if (tiff + 8 > end) {
            return 1;
        }
        boolean little;
        if (d.byteAt(tiff) == 'I' && d.byteAt(tiff + 1) == 'I') {
            little = true;
        } else if (d.byteAt(tiff) == 'M' && d.byteAt(tiff + 1) == 'M') {
            little = false;
        } else {
            return 1;
        }
        long ifd = tiff + tiffU32(d, tiff + 4, little);
        if (ifd < tiff || ifd + 2 > end) {
            return 1;
        }
        int entries = tiffU16(d, (int) ifd, little);
        for (int k = 0; k < entries; k++) {
            int e = (int) ifd + 2 + 12 * k;
            if (e + 12 > end) {
                return 1;
            }
            if (tiffU16(d, e, little) == 0x0112) {
                int value = tiffU16(d, e + 8, little); // SHORT, stored in the entry itself
                return value >= 1 && value <= 8 ? value : 1;
            }
        }
        return 1;
    }

    private static int tiffU16(ByteString d, int off, boolean little) {
        int a = d.byteAt(off) & 0xff;
        int b = d.byteAt(off + 1) & 0xff;
        return little ? a | (b << 8) : (a << 8) | b;
    }

    private static long tiffU32(ByteString d, int off, boolean little) {
        long lo = tiffU16(d, off, little);
        long hi = tiffU16(d, off + 2, little);
        return little ? lo | (hi << 16) : (lo << 16) | hi;
    }

    /**
     * True when a JPEG carries an Exif segment (APP1 "Exif\0\0") before its image data (it may ask
     * for a rotation: see {@link #exifOrientation}).
     */
    public static boolean hasExif(ByteString d) {
        return exifSegment(d) >= 0;
    }

    /** Offset of the APP1 Exif marker of a JPEG, or -1. */
    private static int exifSegment(ByteString d) {
        if (d.size() < 4 || (d.byteAt(0) & 0xff) != 0xFF || (d.byteAt(1) & 0xff) != 0xD8) {
            return -1;
        }
        int i = 2;
        while (i + 3 < d.size() && (d.byteAt(i) & 0xff) == 0xFF) {
            int marker = d.byteAt(i + 1) & 0xff;
            if (marker == 0xFF) {
                i++;
                continue;
            }
            if (marker == 0xDA || marker == 0xD9) {
                return -1;
            }
            if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                i += 2;
                continue;
            }
            int len = u16(d, i + 2);
            if (marker == 0xE1 && len >= 8 && i + 10 <= d.size() && d.byteAt(i + 4) == 'E' && d.byteAt(i + 5) == 'x'
                    && d.byteAt(i + 6) == 'i' && d.byteAt(i + 7) == 'f' && d.byteAt(i + 8) == 0 && d.byteAt(i + 9) == 0) {
                return i;
            }
            if (len < 2) {
                return -1;
            }
            i += 2 + len;
        }
        return -1;
    }

    private static @Nullable ImageHeader probeJpeg(ByteString d) {
        int i = 2;
        while (i + 3 < d.size()) {
            if ((d.byteAt(i) & 0xff) != 0xFF) {
                return null;
            }
            int marker = d.byteAt(i + 1) & 0xff;
            if (marker == 0xFF) { // fill byte
                i++;
                continue;
            }
            if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                i += 2; // markers without a length
                continue;
            }
            if (marker == 0xD9 || marker == 0xDA) {
                return null; // end of image or start of scan before any frame header
            }
            int len = u16(d, i + 2);
            if (len < 2) {
                return null;
            }
            boolean sof = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
            if (sof) {
                if (i + 9 > d.size()) {
                    return null;
                }
                int h = u16(d, i + 5);
                int w = u16(d, i + 7);
                return new ImageHeader("jpeg", w, h);
            }
            i += 2 + len;
        }
        return null;
    }

    private static int u16(ByteString d, int off) {
        return ((d.byteAt(off) & 0xff) << 8) | (d.byteAt(off + 1) & 0xff);
    }

    private static long u32(ByteString d, int off) {
        return ((long) (d.byteAt(off) & 0xff) << 24) | ((d.byteAt(off + 1) & 0xff) << 16)
                | ((d.byteAt(off + 2) & 0xff) << 8) | (d.byteAt(off + 3) & 0xff);
    }

    public long pixels() {
        return (long) width * height;
    }
}
