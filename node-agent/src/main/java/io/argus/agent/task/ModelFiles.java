package io.argus.agent.task;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Locates model files (cascades, OCR language data). They ship inside the agent jar under
 * {@code argus/models/}; OpenCV and Tesseract need real files, so they are copied once into a
 * per-user cache directory. A directory given with {@code --models} (or {@code argus.models})
 * takes precedence, so operators can drop in other models without rebuilding.
 */
public final class ModelFiles {
    private final @Nullable Path override;
    private final Path cache;

    public ModelFiles(@Nullable Path override) {
        this.override = override;
        this.cache = Path.of(System.getProperty("java.io.tmpdir"), "argus-models-" + System.getProperty("user.name"));
    }

    public static ModelFiles fromSystem() {
        String dir = System.getProperty("argus.models");
        return new ModelFiles(dir == null ? null : Path.of(dir));
    }

    /** Path of a model file, e.g. {@code cascades/haarcascade_frontalface_default.xml}. */
    public Path file(String relative) {
        if (override != null) {
            Path p = override.resolve(relative);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        String resource = "argus/models/" + relative;
        try (InputStream in = ModelFiles.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("model not found: " + relative + " (not in "
                        + (override == null ? "" : override + " nor ") + "the agent jar)");
            }
            Path target = cache.resolve(relative);
            byte[] bytes = in.readAllBytes();
            if (Files.isRegularFile(target) && Files.size(target) == bytes.length) {
                return target;
            }
            Files.createDirectories(target.getParent());
            Path tmp = Files.createTempFile(target.getParent(), "model", ".tmp");
            Files.write(tmp, bytes);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract model " + relative, e);
        }
    }

    /** Directory containing a model file (Tesseract wants the tessdata directory). */
    public Path directoryOf(String relative) {
        return Objects.requireNonNull(file(relative).getParent(), relative); // callers name a file in a folder
    }
}
