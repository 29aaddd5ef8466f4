package io.argus.app.console.model;

import io.argus.media.FrameSource;
import io.argus.media.SourceUnavailableException;
import io.argus.media.SourceUnavailableException.Reason;
import io.argus.media.Sources;
import io.argus.media.VideoFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/**
 * Whether a source can be read: opened with {@link Sources#open} (what the CLI's analyze checks
 * before it starts, and what the console's feeds open), one frame read, closed. Every failure is a
 * {@link SourceUnavailableException} in plain words: a source that opens but yields no frame (an
 * empty video, a stream that sends nothing) is no more use to the operator than one that does not open.
 * Blocks: call it off the JavaFX thread.
 */
final class SourceProbe {
    private static final Logger log = LoggerFactory.getLogger(SourceProbe.class);

    private SourceProbe() {
    }

    static void check(String spec) throws SourceUnavailableException {
        try (FrameSource s = Sources.open(spec, false)) {
            VideoFrame first;
            try {
                first = s.next();
            } catch (IOException e) {
                // JavaCV's decode error is for programmers: the log keeps it, the operator gets the gist
                log.info("probing {}: first frame failed", spec, e);
                throw new SourceUnavailableException(failedRead(spec, s.live()), spec,
                        "opened " + spec + " but could not read a frame from it", e);
            }
            if (first == null) {
                throw new SourceUnavailableException(failedRead(spec, s.live()), spec, "no frames in " + spec);
            }
        } catch (SourceUnavailableException e) {
            throw e;
        } catch (IOException | RuntimeException | LinkageError e) {
            log.warn("probing {} failed unexpectedly", spec, e);
            throw new SourceUnavailableException(Reason.NOT_VIDEO, spec,
                    "cannot open " + spec + " (the console's log has the details)", e);
        }
    }

    private static Reason failedRead(String spec, boolean live) {
        if (!live) {
            return Reason.NOT_VIDEO;
        }
        return spec.startsWith("camera:") ? Reason.NO_CAMERA : Reason.UNREACHABLE;
    }
}
