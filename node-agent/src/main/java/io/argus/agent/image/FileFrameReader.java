package io.argus.agent.image;

import io.argus.cluster.SourcePolicy;
import io.argus.media.FfmpegSource;
import io.argus.media.VideoFrame;
import io.argus.protocol.v1.Code;
import io.argus.task.api.TaskException;
import org.jspecify.annotations.Nullable;
import org.opencv.core.CvType;
import org.opencv.core.Mat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Frames an agent reads from a recording itself (encoding {@code FILE_FRAME}): the client names the
 * file and the frame, and sends no pixels, so it neither decodes nor encodes. What it saves: on 2
 * cores, a client that decodes a file and encodes JPEG keeps about 0.3 of a core busy beside one
 * agent worker (BENCHMARKS.md, "Recorded footage at cluster speed"), and that share, not the agents,
 * capped {@code analyze --parallel}.
 *
 * <p><b>One cursor per stream.</b> A stream's frames come in sequence order, so its reader decodes
 * on from where it is; any other frame (the first, or a replay from a checkpoint after a failover)
 * is reached by seeking to the keyframe at or before it and decoding forward, never from the file's
 * start. Seeking gives the same pictures and timestamps as reading on: a segment of a file run in
 * parallel depends on it too. The media time is the decoded frame's own.
 *
 * <p><b>Who may read what.</b> Nothing, unless the cluster's {@link SourcePolicy} lets clients
 * have the agents read files ({@code clientFiles}, off by default); then only files under one of its
 * media roots,
 * checked with symbolic links resolved when a cursor opens (the managed streams' check): the
 * administrator decides which recordings the agents show to clients, and the files there are the
 * administrator's, so their keyframe spacing bounds what a seek costs. Anything else is
 * {@code PERMISSION_DENIED}, with a message that names neither the roots nor where a link leads.
 * Only an absolute path of a regular file is read (a URL, a device or a name with control characters
 * is {@code BAD_REQUEST}; a FIFO, which would block FFmpeg's open for ever, too), and FFmpeg opens it
 * with its {@code file} protocol and video container formats only ({@link FfmpegSource#recording}):
 * no playlist, concatenation or image-sequence pattern can lead it to another file or a URL. A
 * picture over the agent's image limits is refused when the file opens, before anything is decoded. At most {@link FileFrameConfig#maxOpenFiles()} files are open; the
 * least recently used is closed first, and one idle for {@link FileFrameConfig#idleCloseMs()}.
 *
 * <p>Runs on a worker thread, never an event loop: opening reads the policy from ZooKeeper and
 * resolves the path, and decoding is CPU work.
 */
public final class FileFrameReader implements AutoCloseable {
    /** A decoded frame: the picture (the caller's to release) and its media time, + 1 as clients send it. */
    public record Decoded(Mat frame, long mediaTimeUs) {
    }

    /**
     * Frames kept after decoding, and how far ahead a frame is read on rather than sought: the frames
     * of a stateless stream run on several workers at once and may ask out of order, within the
     * client's window (4 by default), which must not cost a seek (a decode from the keyframe) each.
     */
    static final int KEPT_FRAMES = 4;
    /**
     * Bytes of decoded pictures one reader keeps: 4 frames of 768x576, 2 of 1080p, none of 4K (each
     * is a BGR array on the heap). With {@link FileFrameConfig#DEFAULT_MAX_OPEN_FILES} readers that
     * is at most 128 MiB whatever the files are.
     */
    static final long KEPT_BYTES = 16L * 1024 * 1024;
    static final int READ_ON_FRAMES = 16;

    private final FileFrameConfig config;
    private final ImageDecoder limits;
    private final LongSupplier clockMs;
    /** How long a policy read from ZooKeeper is used before it is read again. */
    static final long POLICY_REFRESH_MS = 1_000;

    private final Object policyLock = new Object();
    private Supplier<SourcePolicy> policy = () -> SourcePolicy.DEFAULT;
    private @Nullable SourcePolicy cachedPolicy;
    private long policyReadMs;
    /** By stream, least recently used first; guarded by itself. A cursor is used under its own lock. */
    private final LinkedHashMap<String, Cursor> cursors = new LinkedHashMap<>(16, 0.75f, true);
    private boolean closed;

    public FileFrameReader(FileFrameConfig config, ImageDecoder limits, LongSupplier clockMs) {
        this.config = config;
        this.limits = limits;
        this.clockMs = clockMs;
    }

    /** The cluster's source policy, once the agent has joined it; until then nothing may be read. */
    public void policy(Supplier<SourcePolicy> policy) {
        synchronized (policyLock) {
            this.policy = policy;
            this.cachedPolicy = null;
        }
    }

    /** Open recordings, for the metrics and the tests. */
    public int open() {
        synchronized (cursors) {
            return cursors.size();
        }
    }

    /**
     * Decodes frame {@code frame} (0-based) of {@code file} for {@code stream}.
     *
     * @throws TaskException PERMISSION_DENIED for a file outside the media roots, UNAVAILABLE when the
     *                       policy cannot be read, IMAGE_DECODE_FAILED when the file cannot be read,
     *                       BAD_REQUEST for a frame past its end, TOO_LARGE over the image limits
     */
    public Decoded read(String stream, String file, long frame) throws TaskException {
        if (file.isEmpty() || file.length() > SourcePolicy.MAX_SOURCE_CHARS) {
            throw new TaskException(Code.BAD_REQUEST, "a FILE_FRAME image needs a file path of 1-"
                    + SourcePolicy.MAX_SOURCE_CHARS + " characters");
        }
        if (frame < 0 || frame > Integer.MAX_VALUE) {
            throw new TaskException(Code.BAD_REQUEST, "frame " + frame + " is not a frame of a file");
        }
        if (!file.startsWith("/") || file.chars().anyMatch(ch -> ch < 0x20 || ch == 0x7f)) {
            // a URL, a device name, a relative path or a name with control characters: never a recording here
            throw new TaskException(Code.BAD_REQUEST, "a FILE_FRAME image names a file by its absolute path, "
                    + "without control characters");
        }
        Path real = checked(file);
        // a cursor closed between being found and being locked (evicted for another stream) is
        // replaced: the frame is read from a new one, which seeks
        for (int attempt = 0; ; attempt++) {
            Cursor c = cursor(stream, file);
            synchronized (c) {
                if (c.closed && attempt < 3) {
                    continue;
                }
                if (c.source == null) {
                    try {
                        c.open(real, limits);
                    } catch (TaskException e) {
                        forget(stream, c); // an unreadable file holds no reader
                        throw e;
                    }
                }
                return c.read(frame, limits);
            }
        }
    }

    /**
     * The real path of {@code file} if this agent may read it for a client, checked on every frame
     * and before the stream takes a reader, so that a refused name evicts nobody's: the grant, the
     * spelling (before the file system is touched), the resolved path under a root, a regular file.
     * A missing file is "no such file" only where its nearest existing folder is under a root:
     * anywhere else (a link out of a root) it is refused like an existing one, so that a client
     * cannot learn which files exist outside the roots.
     */
    private Path checked(String file) throws TaskException {
        SourcePolicy p = currentPolicy();
        if (!p.clientFiles()) {
            throw new TaskException(Code.PERMISSION_DENIED, "this cluster does not let clients have its agents read "
                    + "files (its administrator allows it: bin/argus sources --set --client-files ...)");
        }
        if (p.checkOpen(file, null).isPresent()) {
            throw notUnderRoots(file);
        }
        Path real = realPath(file);
        if (real == null) {
            Path existing = nearestExisting(Path.of(file));
            if (existing == null || p.checkOpen(file, existing).isPresent()) {
                throw notUnderRoots(file);
            }
            throw new TaskException(Code.IMAGE_DECODE_FAILED, "cannot read " + file + ": no such file");
        }
        if (p.checkOpen(file, real).isPresent()) {
            throw notUnderRoots(file);
        }
        if (!Files.isRegularFile(real)) {
            // a FIFO would block the worker in FFmpeg's open for ever, and a device is no recording
            throw new TaskException(Code.BAD_REQUEST, file + " is not a regular file");
        }
        return real;
    }

    /** The real path of the nearest folder above {@code path} that exists, or null. */
    private static @Nullable Path nearestExisting(Path path) {
        for (Path p = path.getParent(); p != null; p = p.getParent()) {
            Path real = realPath(p.toString());
            if (real != null) {
                return real;
            }
        }
        return null;
    }

    /** The stream's cursor on {@code file}: a new one when it has none or reads another file. */
    private Cursor cursor(String stream, String file) throws TaskException {
        List<Cursor> evicted = new ArrayList<>();
        Cursor c;
        synchronized (cursors) {
            if (closed) {
                throw new TaskException(Code.UNAVAILABLE, "the agent is shutting down");
            }
            long now = clockMs.getAsLong();
            for (Iterator<Map.Entry<String, Cursor>> it = cursors.entrySet().iterator(); it.hasNext(); ) {
                Cursor idle = it.next().getValue();
                if (now - idle.usedMs >= config.idleCloseMs()) {
                    evicted.add(idle);
                    it.remove();
                }
            }
            c = cursors.get(stream);
            if (c != null && (c.closed || !c.file.equals(file))) {
                // another file, or closed after a decoding error: a new reader, which seeks
                evicted.add(cursors.remove(stream));
                c = null;
            }
            if (c == null) {
                while (cursors.size() >= config.maxOpenFiles()) {
                    Iterator<Cursor> oldest = cursors.values().iterator();
                    evicted.add(oldest.next());
                    oldest.remove();
                }
                c = new Cursor(file);
                cursors.put(stream, c);
            }
            c.usedMs = now;
        }
        evicted.forEach(Cursor::close); // outside the map's lock: a close waits for a read in progress
        return c;
    }

    private void forget(String stream, Cursor c) {
        synchronized (cursors) {
            cursors.remove(stream, c);
        }
        c.close();
    }

    /**
     * The refusal a client sees: it names neither the media roots nor where a link leads, which
     * are the administrator's to know.
     */
    private static TaskException notUnderRoots(String file) {
        return new TaskException(Code.PERMISSION_DENIED, "this agent does not read " + file
                + ": only files under the cluster's media roots, links resolved (bin/argus sources sets them)");
    }

    /** {@code file} with its links resolved, or null when it does not exist or cannot be resolved. */
    private static @Nullable Path realPath(String file) {
        try {
            return Path.of(file).toRealPath();
        } catch (IOException | RuntimeException e) {
            return null; // missing, or a link that leads nowhere: nothing to read
        }
    }

    /** Why {@code file}, whose real path is {@code real}, may not be read, or empty. */
    /**
     * The cluster's policy, read from ZooKeeper at most every {@link #POLICY_REFRESH_MS}: reading it
     * for every frame would load ZooKeeper at the frame rate of every stream, while a grant or a root
     * withdrawn still takes effect within that time, for open readers too.
     */
    private SourcePolicy currentPolicy() throws TaskException {
        synchronized (policyLock) {
            long now = clockMs.getAsLong();
            SourcePolicy p = cachedPolicy;
            if (p != null && now - policyReadMs < POLICY_REFRESH_MS && now >= policyReadMs) {
                return p;
            }
            try {
                p = policy.get();
            } catch (IllegalStateException e) {
                throw new TaskException(Code.UNAVAILABLE, "the cluster's source policy could not be read: " + e.getMessage());
            }
            cachedPolicy = p;
            policyReadMs = now;
            return p;
        }
    }

    @Override
    public void close() {
        List<Cursor> all;
        synchronized (cursors) {
            closed = true;
            all = new ArrayList<>(cursors.values());
            cursors.clear();
        }
        all.forEach(Cursor::close);
    }

    /** One stream's open recording and where its decoding stands. */
    private static final class Cursor {
        final String file;
        volatile long usedMs;
        @Nullable FfmpegSource source;
        /** The frame {@link FfmpegSource#next()} returns next. */
        long next;
        /** Frames in the file, as its container estimates them; 0 when it does not say. */
        long frames;
        /** Bytes of the pictures in {@link #recent}. */
        long keptBytes;
        /** The last frames decoded, for frames of a stateless stream answered out of order. */
        final java.util.ArrayDeque<VideoFrame> recent = new java.util.ArrayDeque<>(KEPT_FRAMES);
        volatile boolean closed;

        Cursor(String file) {
            this.file = file;
        }

        void open(Path real, ImageDecoder limits) throws TaskException {
            if (closed) {
                throw new TaskException(Code.UNAVAILABLE, "the reader of " + file + " was closed (too many open files); resend");
            }
            FfmpegSource s;
            try {
                // the path that was checked, not the name given: a link swapped after the check
                // cannot lead the open elsewhere; only the file protocol and video containers
                s = FfmpegSource.recording(real);
            } catch (IOException e) {
                throw new TaskException(Code.IMAGE_DECODE_FAILED, "cannot read " + file + " as a recorded video");
            }
            try {
                // before any picture is decoded: an oversized one is refused, not decoded and kept
                limits.checkSize(s.width(), s.height());
            } catch (TaskException e) {
                s.close();
                throw e;
            }
            source = s;
            frames = s.frameCount();
            next = 0;
        }

        synchronized Decoded read(long frame, ImageDecoder limits) throws TaskException {
            FfmpegSource s = source;
            if (s == null || closed) {
                throw new TaskException(Code.UNAVAILABLE, "the reader of " + file + " was closed (too many open files); resend");
            }
            VideoFrame f = recent(frame);
            try {
                if (f == null && (frame < next || frame - next > READ_ON_FRAMES)) {
                    // the container's count is an estimate (low for variable frame rates): a seek is
                    // refused only far past it, where FFmpeg's frame-to-time arithmetic overflows
                    if (frames > 0 && frame > 2 * frames + 1_000) {
                        throw new TaskException(Code.BAD_REQUEST, "frame " + frame + " is past the end of " + file
                                + " (about " + frames + " frames)");
                    }
                    s.seekTo(frame);
                    next = frame;
                }
                while (f == null) {
                    VideoFrame read = s.next();
                    if (read == null) {
                        next = Long.MIN_VALUE; // at the end: any later request seeks
                        throw new TaskException(Code.BAD_REQUEST, "frame " + frame + " is past the end of " + file);
                    }
                    limits.checkSize(read.width(), read.height()); // a picture larger than the file's first is never kept
                    keep(read);
                    next++;
                    f = read.index() == frame ? read : null;
                }
            } catch (IOException | RuntimeException e) {
                close();
                throw new TaskException(Code.IMAGE_DECODE_FAILED, "decoding frame " + frame + " of " + file + ": " + e.getMessage());
            }
            limits.checkSize(f.width(), f.height());
            Mat m = new Mat(f.height(), f.width(), CvType.CV_8UC3);
            m.put(0, 0, f.bgr());
            return new Decoded(m, f.timestampUs() + 1);
        }

        private @Nullable VideoFrame recent(long frame) {
            for (VideoFrame f : recent) {
                if (f.index() == frame) {
                    return f;
                }
            }
            return null;
        }

        /** Keeps {@code f}, oldest out first, within {@link #KEPT_FRAMES} and {@link #KEPT_BYTES} (by each picture's own size: a file may change resolution midway). */
        private void keep(VideoFrame f) {
            long bytes = f.bgr().length;
            while (!recent.isEmpty() && (recent.size() >= KEPT_FRAMES || keptBytes + bytes > KEPT_BYTES)) {
                keptBytes -= recent.removeFirst().bgr().length;
            }
            if (bytes <= KEPT_BYTES) {
                recent.addLast(f);
                keptBytes += bytes;
            }
        }

        synchronized void close() {
            recent.clear();
            keptBytes = 0;
            closed = true;
            FfmpegSource s = source;
            source = null;
            if (s != null) {
                s.close();
            }
        }
    }
}
