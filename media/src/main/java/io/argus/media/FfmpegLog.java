package io.argus.media;

import org.bytedeco.ffmpeg.avutil.LogCallback;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.BytePointer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * FFmpeg's messages (warnings and errors only) through SLF4J instead of raw stderr, at most
 * {@link #LINES_PER_SECOND} a second: a client sending corrupt JPEGs at frame rate, each of which
 * FFmpeg's decoder complains about in several lines, must not fill an agent's disk. What is held
 * back is counted and reported with the next line that gets through. Installed once per process.
 */
public final class FfmpegLog {
    private static final Logger log = LoggerFactory.getLogger("io.argus.ffmpeg");
    static final int LINES_PER_SECOND = 5;
    private static final Object LOCK = new Object();
    private static long windowStart;
    private static int inWindow;
    private static long suppressed;
    private static volatile boolean installed;
    // kept reachable: FFmpeg holds only the native pointer
    private static @Nullable LogCallback callback;

    private FfmpegLog() {
    }

    public static void install() {
        if (installed) {
            return;
        }
        synchronized (LOCK) {
            if (installed) {
                return;
            }
            avutil.av_log_set_level(avutil.AV_LOG_WARNING);
            callback = new LogCallback() {
                @Override
                public void call(int level, BytePointer msg) {
                    if (level > avutil.AV_LOG_WARNING) {
                        return;
                    }
                    emit(level, msg.getString().strip());
                }
            };
            avutil.setLogCallback(callback);
            installed = true;
        }
    }

    private static void emit(int level, String line) {
        if (line.isEmpty()) {
            return;
        }
        long held;
        synchronized (LOCK) {
            long now = System.nanoTime();
            if (now - windowStart > 1_000_000_000L) {
                windowStart = now;
                inWindow = 0;
            }
            if (++inWindow > LINES_PER_SECOND) {
                suppressed++;
                return;
            }
            held = suppressed;
            suppressed = 0;
        }
        String suffix = held > 0 ? " (" + held + " earlier FFmpeg messages not logged)" : "";
        if (level <= avutil.AV_LOG_ERROR) {
            log.warn("{}{}", line, suffix);
        } else {
            log.debug("{}{}", line, suffix);
        }
    }
}
