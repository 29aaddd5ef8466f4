package io.argus.task.image;

import com.google.protobuf.ByteString;

/**
 * Counts the scans (SOS markers) of a JPEG without decoding it, so that a progressive JPEG that
 * repeats a scan many times is refused before a decoder spends minutes on it. The probe found a
 * 12.7 MB file repeating one scan 200,000 times that held a worker for 430-477 s; each scan is a
 * full pass of the decoder over the image, so the cost grows with the number of scans, which the
 * file's size does not bound.
 *
 * <p>The walk is linear in the data and allocates nothing: marker segments are skipped by their
 * length; after a start of scan the entropy-coded bytes are skipped up to the next marker (an
 * {@code FF} followed by anything but a stuffed {@code 00}, a fill {@code FF} or a restart marker).
 */
public final class JpegScans {
    /**
     * Most scans a JPEG may have: libjpeg-turbo's own fuzzers and its documentation of
     * {@code TJPARAM_SCANLIMIT} use 500. Real encoders write 1 (baseline) or about 10 (libjpeg's
     * default progressive script; mozjpeg's optimised scripts stay under 70).
     */
    public static final int DEFAULT_MAX_SCANS = 500;

    private JpegScans() {
    }

    /** The number of scans, counting no further than {@code stopAfter}. */
    public static int count(ByteString d, int stopAfter) {
        int n = d.size();
        int scans = 0;
        int i = 2; // after SOI
        while (i + 1 < n) {
            if ((d.byteAt(i) & 0xff) != 0xFF) {
                return scans; // not at a marker: let the decoder judge the damage
            }
            int marker = d.byteAt(i + 1) & 0xff;
            if (marker == 0xFF) {
                i++;
                continue;
            }
            if (marker == 0xD9) {
                return scans;
            }
            if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                i += 2;
                continue;
            }
            if (i + 3 >= n) {
                return scans;
            }
            int len = ((d.byteAt(i + 2) & 0xff) << 8) | (d.byteAt(i + 3) & 0xff);
            if (len < 2) {
                return scans;
            }
            i += 2 + len;
            if (marker == 0xDA) {
                if (++scans >= stopAfter) {
                    return scans;
                }
                i = skipEntropyCoded(d, i);
            }
        }
        return scans;
    }

    /** The index of the marker that ends the entropy-coded data starting at {@code i}. */
    private static int skipEntropyCoded(ByteString d, int i) {
        int n = d.size();
        while (i + 1 < n) {
            if ((d.byteAt(i) & 0xff) == 0xFF) {
                int next = d.byteAt(i + 1) & 0xff;
                if (next != 0x00 && next != 0xFF && (next < 0xD0 || next > 0xD7)) {
                    return i;
                }
                i += next == 0xFF ? 1 : 2;
            } else {
                i++;
            }
        }
        return n;
    }
}
