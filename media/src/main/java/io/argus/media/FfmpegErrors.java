package io.argus.media;

import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.BytePointer;

/** FFmpeg's text for one of its error codes (av_strerror). */
final class FfmpegErrors {
    private static final int BUFFER = 256;

    private FfmpegErrors() {
    }

    /** The text of {@code code} (e.g. -2: "No such file or directory"), or empty when FFmpeg has none. */
    static String describe(int code) {
        try (BytePointer buf = new BytePointer(BUFFER)) {
            if (avutil.av_strerror(code, buf, BUFFER) < 0) {
                return "";
            }
            byte[] bytes = new byte[BUFFER];
            buf.get(bytes);
            int end = 0;
            while (end < BUFFER && bytes[end] != 0) { // the text ends at its NUL; the rest of the buffer is garbage
                end++;
            }
            return new String(bytes, 0, end, java.nio.charset.StandardCharsets.UTF_8).trim();
        }
    }
}
