package io.argus.cli.analyze;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.argus.client.StreamResult;
import io.argus.protocol.v1.Encoding;
import io.argus.protocol.v1.ImageData;
import io.argus.protocol.v1.TaskResult;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code analyze --save-images DIR}: writes the pictures tasks return (annotate's annotated frame,
 * mosaic's wall, stitch's panorama) as files, {@code DIR/STREAM/FRAME-TASK-NAME.jpg} (the frame
 * number zero-padded to 8 digits so that a listing is in frame order; {@code .png} for PNG images,
 * {@code .bgr} for raw ones). The summary gets {@code images_saved} and {@code images_dir}.
 *
 * <p>Stream, task and image names come from the cluster; only their {@code [A-Za-z0-9._-]}
 * characters are used, so a file never lands outside {@code DIR}.
 */
public final class ImageSaver implements AnalyzeExtension {
    private final Path dir;
    private final AtomicLong saved = new AtomicLong();

    public ImageSaver(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
    }

    @Override
    public void onResult(StreamResult r) {
        onResult(r.streamId(), r);
    }

    /** Saves the pictures of {@code r} as the pictures of stream {@code stream} (a parallel run's segment results carry the segment's). */
    public void onResult(String stream, StreamResult r) {
        if (!r.ok()) {
            return;
        }
        for (TaskResult t : r.okResult().getTasksList()) {
            for (ImageData img : t.getImagesList()) {
                Path file = dir.resolve(safe(stream)).resolve(String.format(Locale.ROOT, "%08d-%s-%s.%s",
                        r.sourceIndex(), safe(t.getTask()), safe(img.getName()), extension(img.getEncoding())));
                try {
                    Files.createDirectories(file.getParent());
                    Files.write(file, img.getData().toByteArray());
                } catch (IOException e) {
                    throw new UncheckedIOException("analyze --save-images: cannot write " + file, e);
                }
                saved.incrementAndGet();
            }
        }
    }

    @Override
    public void summarize(ObjectNode summary) {
        summary.put("images_saved", saved.get()).put("images_dir", dir.toString());
    }

    long saved() {
        return saved.get();
    }

    static String safe(String name) {
        String s = name.replaceAll("[^A-Za-z0-9._-]", "_");
        // "." and ".." name directories, never files of ours
        return s.isEmpty() || s.chars().allMatch(c -> c == '.') ? "_" + s : s;
    }

    private static String extension(Encoding e) {
        return switch (e) {
            case PNG -> "png";
            case RAW_BGR -> "bgr";
            default -> "jpg";
        };
    }
}
