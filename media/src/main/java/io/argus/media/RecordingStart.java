package io.argus.media;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * When a recorded file's first frame was captured. What is found in last night's recording
 * happened last night: its events are dated {@code at} plus the frame's presentation time, not
 * when the file happened to be analysed, so per-minute counts from the durable record match the
 * hours of the footage, and two runs of one file (serial, in parallel segments, on other agents)
 * date every event alike.
 *
 * <p>Where it comes from, in order ({@link #of}):
 * <ol>
 *   <li>the container's {@code creation_time} tag, which cameras, recorders and FFmpeg's MP4, MOV and
 *       MKV muxers write when the recording begins;</li>
 *   <li>otherwise the file's modification time minus its duration: a recorder writes the file as it
 *       records, so it was last modified when the recording ended. A copy that did not keep the
 *       time ({@code cp} without {@code -p}) dates the footage at the copy; the operator then gives
 *       the start.</li>
 * </ol>
 *
 * @param at     when the first frame was captured
 * @param origin where {@code at} comes from, for the operator to judge
 */
public record RecordingStart(Instant at, String origin) {
    /** From the container's tag. */
    public static final String TAG = "the file's creation_time tag";
    /** From the file system. */
    public static final String MODIFIED = "the file's modification time minus its duration";
    /** Given by the operator. */
    public static final String GIVEN = "given";

    /** The start of a recorded file opened as {@code src}; empty for live sources, folders and photos. */
    public static Optional<RecordingStart> of(FrameSource src, String path) {
        if (!(src instanceof FfmpegSource file) || file.live()) {
            return Optional.empty();
        }
        Optional<Instant> tag = file.creationTime();
        if (tag.isPresent()) {
            return Optional.of(new RecordingStart(tag.get(), TAG));
        }
        try {
            Instant modified = Files.getLastModifiedTime(Path.of(path)).toInstant();
            return Optional.of(new RecordingStart(modified.minusNanos(file.durationUs() * 1_000), MODIFIED));
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // not a local file after all (a URL FFmpeg reads as a file)
        }
    }

    /** Epoch microseconds of {@link #at()}. */
    public long epochMicros() {
        return Math.addExact(Math.multiplyExact(at.getEpochSecond(), 1_000_000L), at.getNano() / 1_000);
    }
}
