package io.argus.media;

import io.argus.media.image.OpenCv;
import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.argus.task.image.ImageHeader;
import org.jspecify.annotations.Nullable;
import org.opencv.core.Mat;
import org.opencv.imgcodecs.Imgcodecs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The images of a folder (jpg, jpeg, png, bmp), in file-name order, as frames; or one image file.
 * Its frames are {@link #stills() stills}: photos, not moments of one scene.
 */
public final class ImageFolderSource implements FrameSource {
    private final Path dir;
    private final List<Path> files;
    private final boolean loop;
    private int next;
    private long index;

    public ImageFolderSource(Path dir, boolean loop) throws IOException {
        this(dir, listImages(dir), loop);
    }

    private ImageFolderSource(Path dir, List<Path> files, boolean loop) throws SourceUnavailableException {
        OpenCv.load();
        this.dir = dir;
        this.loop = loop;
        this.files = files;
        if (files.isEmpty()) {
            throw new SourceUnavailableException(SourceUnavailableException.Reason.NOT_VIDEO, dir.toString(),
                    "no images (jpg, png, bmp) in " + dir);
        }
    }

    /** One image file as a source of one frame (or of that frame again and again, looping). */
    public static ImageFolderSource single(Path image, boolean loop) throws SourceUnavailableException {
        return new ImageFolderSource(image, List.of(image), loop);
    }

    private static List<Path> listImages(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).filter(ImageFolderSource::isImage).sorted().toList();
        }
    }

    /** Photos: each frame stands alone (text read once is read, nothing to agree across frames). */
    @Override
    public boolean stills() {
        return true;
    }

    static boolean isImage(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".png") || n.endsWith(".bmp");
    }

    @Override
    public @Nullable VideoFrame next() throws IOException {
        while (true) {
            if (next >= files.size()) {
                if (!loop) {
                    return null;
                }
                next = 0;
            }
            Path p = files.get(next++);
            VideoFrame asStored = asStoredJpeg(p);
            if (asStored != null) {
                return asStored;
            }
            Mat m = Imgcodecs.imread(p.toString(), Imgcodecs.IMREAD_COLOR);
            try {
                if (m.empty()) {
                    continue; // unreadable file: skip it, as a camera would drop a bad frame
                }
                byte[] bgr = new byte[(int) (m.total() * m.channels())];
                m.get(0, 0, bgr);
                // stills have no clock of their own: one second apart, so time-based logic is repeatable
                long i = index++;
                return new VideoFrame(i, i * 1_000_000L, m.cols(), m.rows(), bgr);
            } finally {
                m.release();
            }
        }
    }

    /**
     * A JPEG file as it is, decoded only if someone asks for its pixels: clients send it unchanged
     * (no decode and re-encode on the client, no second generation of JPEG loss). Null for other
     * files, and for JPEGs whose Exif asks for a rotation (their pixels would not have the sides of
     * their header) or whose header does not parse: those are decoded here, as before.
     */
    private @Nullable VideoFrame asStoredJpeg(Path p) throws IOException {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        if (!n.endsWith(".jpg") && !n.endsWith(".jpeg")) {
            return null;
        }
        byte[] bytes = Files.readAllBytes(p);
        ByteString view = UnsafeByteOperations.unsafeWrap(bytes);
        ImageHeader header = ImageHeader.probe(view);
        if (header == null || !header.format().equals("jpeg") || header.width() <= 0 || header.height() <= 0
                || ImageHeader.exifOrientation(view) != 1) {
            return null;
        }
        long i = index++;
        return VideoFrame.ofJpeg(i, i * 1_000_000L, header.width(), header.height(), bytes);
    }

    public List<Path> files() {
        return files;
    }

    @Override
    public double frameRate() {
        return 0;
    }

    @Override
    public long frameCount() {
        return loop ? -1 : files.size();
    }

    @Override
    public boolean live() {
        return false;
    }

    @Override
    public String describe() {
        return dir + " (" + files.size() + " images)";
    }

    @Override
    public void close() {
    }
}
