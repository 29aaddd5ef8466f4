package io.argus.cli.demo;

import io.argus.app.console.model.ConsoleSettings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The demo's sample streams in the console settings it keeps between runs. The settings hold each
 * stream's source as an absolute path, so a checkout that was moved or deleted left a demo whose
 * sample tiles said "no such file" on every later run. Before the console reads the settings, a
 * sample stream whose file is gone is pointed at this checkout's bundled copy, in its place and
 * with its tasks, parameters and alerts. Only a path that ends as the sample does
 * ({@code assets/video/vtest.avi}) is taken for an old checkout's copy: a sample stream that plays
 * anything that exists, an operator's own file under the sample's name (even one on a disk not
 * mounted now), a URL or a camera is left alone, and so is every other stream.
 */
public final class DemoSamples {
    private DemoSamples() {
    }

    /**
     * A sample stream the demo shows: its name and the bundled file or folder it plays.
     *
     * @param within where the sample lies under an assets folder ({@code video/vtest.avi}): only a kept
     *               path that ends so is taken for an old checkout's copy
     */
    public record Sample(String name, Path media, String within) {
    }

    /**
     * Points the kept sample streams whose file is gone at the bundled media, saving the settings
     * only when one changed.
     *
     * @return one line per stream moved, for the operator
     */
    public static List<String> repoint(Path settingsFile, List<Sample> samples) throws IOException {
        if (!Files.isRegularFile(settingsFile)) {
            return List.of();
        }
        ConsoleSettings settings = ConsoleSettings.load(settingsFile);
        List<String> moved = new ArrayList<>();
        for (Sample sample : samples) {
            ConsoleSettings.Source kept = settings.find(sample.name());
            if (kept == null || !gone(kept.source) || !kept.source.replace('\\', '/').endsWith(sample.within())) {
                continue; // absent, present (or not yet mounted: it still exists), or not a checkout's sample
            }
            String now = sample.media().toAbsolutePath().toString();
            moved.add("demo: stream '" + sample.name() + "' played " + kept.source + ", which is gone; it now plays " + now);
            kept.source = now;
        }
        if (!moved.isEmpty()) {
            settings.save(settingsFile);
        }
        return moved;
    }

    /** A local path that does not exist; a URL, a camera or a name that is not a path is never "gone". */
    static boolean gone(String source) {
        if (source.isBlank() || source.contains("://") || source.startsWith("camera:")) {
            return false;
        }
        return asPath(source).map(p -> !Files.exists(p)).orElse(false);
    }

    private static Optional<Path> asPath(String source) {
        try {
            return Optional.of(Path.of(source));
        } catch (InvalidPathException e) {
            return Optional.empty();
        }
    }

    /** The demo's samples under an assets folder. */
    public static List<Sample> bundled(Path assets) {
        return List.of(new Sample("lobby", assets.resolve("video/vtest.avi"), "assets/video/vtest.avi"),
                new Sample("signs", assets.resolve("images/text"), "assets/images/text"));
    }
}
