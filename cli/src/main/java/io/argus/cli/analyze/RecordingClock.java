package io.argus.cli.analyze;

import io.argus.media.FrameSource;
import io.argus.media.RecordingStart;
import org.jspecify.annotations.Nullable;

import java.io.PrintStream;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code analyze --recorded-at}: what the events of each recorded file are dated from.
 * <ul>
 *   <li>{@code auto} (the default): the recording's own start ({@link RecordingStart}: the
 *       container's {@code creation_time} tag, otherwise the file's modification time minus its
 *       duration), plus each frame's presentation time;</li>
 *   <li>an ISO-8601 instant ({@code 2026-12-06T22:00:00Z}, or with an offset): that start, for every
 *       recorded file of the run;</li>
 *   <li>{@code capture} (or {@code none}): when each frame is read here, as before this option existed.</li>
 * </ul>
 * Live sources, folders and photos are always dated by capture time. Only the dating changes: event
 * ids, counts and the order of results do not depend on it.
 */
public final class RecordingClock {
    public static final String AUTO = "auto";
    public static final String CAPTURE = "capture";
    /** The word {@code stream add} uses for {@link #CAPTURE}: accepted by both. */
    public static final String NONE = "none";

    private final boolean capture;
    private final @Nullable Instant given;

    private RecordingClock(boolean capture, @Nullable Instant given) {
        this.capture = capture;
        this.given = given;
    }

    /**
     * The clock an option value names.
     *
     * @throws IllegalArgumentException for anything but auto, capture or an ISO-8601 instant
     */
    public static RecordingClock parse(String spec) {
        String s = spec.trim();
        String word = s.toLowerCase(Locale.ROOT);
        if (word.equals(AUTO) || word.equals(CAPTURE) || word.equals(NONE)) {
            return new RecordingClock(!word.equals(AUTO), null);
        }
        try {
            return new RecordingClock(false, OffsetDateTime.parse(s).toInstant());
        } catch (DateTimeParseException e) {
            try {
                return new RecordingClock(false, Instant.parse(s));
            } catch (DateTimeParseException again) {
                throw new IllegalArgumentException("--recorded-at must be auto, capture or an ISO-8601 time such as "
                        + "2026-12-06T22:00:00Z: " + spec, again);
            }
        }
    }

    /** The time given, if one was rather than auto or capture. */
    public Optional<Instant> given() {
        return Optional.ofNullable(given);
    }

    /**
     * The start {@code src}'s events are dated from, in epoch microseconds, or 0 when they are dated
     * by capture time; says on {@code err} which start was taken and from where.
     */
    public long startUs(FrameSource src, String path, PrintStream err) {
        if (capture || src.live() || src.stills()) {
            return 0;
        }
        Optional<RecordingStart> start = given != null ? Optional.of(new RecordingStart(given, RecordingStart.GIVEN))
                : RecordingStart.of(src, path);
        if (start.isEmpty() || start.get().at().getEpochSecond() <= 0) {
            return 0;
        }
        err.println("analyze: " + path + ": events dated from " + start.get().at() + " (" + start.get().origin()
                + "; --recorded-at sets it) plus each frame's time in the file");
        return start.get().epochMicros();
    }
}
