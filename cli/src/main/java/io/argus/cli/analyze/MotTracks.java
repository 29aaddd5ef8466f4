package io.argus.cli.analyze;

import org.jspecify.annotations.Nullable;
import io.argus.protocol.v1.Overlay;
import io.argus.protocol.v1.TaskResult;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The tracks of an analyze run in MOTChallenge format ({@code frame,id,x,y,w,h,score,-1,-1,-1},
 * frames 1-based): one file for {@code --mot-out}, or one per stream (the stream's name before the
 * extension) when several streams run.
 */
final class MotTracks implements AutoCloseable {
    private final @Nullable Path motOut;
    private final boolean manyStreams;
    private final Map<String, BufferedWriter> mot = new HashMap<>();

    /** @param motOut the {@code --mot-out} file */
    MotTracks(@Nullable Path motOut, boolean manyStreams) {
        this.motOut = motOut;
        this.manyStreams = manyStreams;
    }

    /** The rows of the tracked boxes of one frame's {@code people} result. */
    static List<String> motRows(long frame, TaskResult people) {
        List<String> rows = new ArrayList<>();
        for (Overlay o : people.getOverlaysList()) {
            if (o.hasBox() && o.getBox().getTrackId() > 0) {
                var b = o.getBox();
                rows.add(String.format(Locale.ROOT, "%d,%d,%.1f,%.1f,%.1f,%.1f,%.3f,-1,-1,-1",
                        frame, b.getTrackId(), b.getX(), b.getY(), b.getWidth(), b.getHeight(), b.getScore()));
            }
        }
        return rows;
    }

    void writeMot(String stream, List<String> rows) {
        try {
            BufferedWriter w = mot.computeIfAbsent(stream, s -> {
                try {
                    return Files.newBufferedWriter(motFile(s));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            for (String row : rows) {
                w.write(row);
                w.newLine();
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    Path motFile(String stream) {
        Path motOut = Objects.requireNonNull(this.motOut, "motOut"); // asked only with --mot-out
        if (!manyStreams) {
            return motOut;
        }
        String name = motOut.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String withStream = dot > 0 ? name.substring(0, dot) + "." + stream + name.substring(dot) : name + "." + stream;
        return motOut.resolveSibling(withStream);
    }

    @Override
    public void close() throws IOException {
        for (BufferedWriter w : mot.values()) {
            w.close();
        }
    }
}
