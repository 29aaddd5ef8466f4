package io.argus.media;

import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import org.jspecify.annotations.Nullable;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;

/**
 * Frames decoded by FFmpeg (through bytedeco/JavaCV): files in any codec FFmpeg knows (MS-MPEG4,
 * H.264, H.265, MJPEG, ...), RTSP/HTTP streams and V4L2 cameras. openpnp's OpenCV cannot be used
 * here: it has no FFmpeg and silently fails to open most files and every RTSP URL.
 *
 * <p>Network sources use TCP for RTSP and a 5 s I/O timeout: a camera that stops sending makes
 * {@link #next()} fail with an IOException after 5 s instead of hanging forever.
 */
public final class FfmpegSource implements FrameSource {
    /** Network read timeout; on expiry next() throws and the caller may reconnect. */
    public static final long NETWORK_TIMEOUT_US = 5_000_000L;

    static {
        FfmpegLog.install();
    }

    private final String url;
    private final boolean loop;
    private final boolean live;
    private final FFmpegFrameGrabber grabber;
    private long index;
    private long loopOffsetUs;

    /**
     * FFmpeg's demuxers of recorded video: what {@link #recording} opens. Not among them, on
     * purpose: image sequences ({@code image2}, which expands {@code %d} in a name to other files),
     * playlists ({@code hls}, {@code concat}, which name further files or URLs) and devices.
     */
    public static final String RECORDING_FORMATS =
            "mov,matroska,avi,mpegts,mpeg,mpegvideo,flv,asf,h264,hevc,m4v,mjpeg,ivf,obu,yuv4mpegpipe,nut,ogg,mxf";

    private FfmpegSource(String url, @Nullable String format, boolean loop, boolean live) throws IOException {
        this(url, format, loop, live, Map.of());
    }

    private FfmpegSource(String url, @Nullable String format, boolean loop, boolean live,
                         Map<String, String> options) throws IOException {
        this.url = url;
        this.loop = loop;
        this.live = live;
        this.grabber = new FFmpegFrameGrabber(url);
        if (format != null) {
            grabber.setFormat(format);
        }
        options.forEach(grabber::setOption);
        grabber.setPixelFormat(avutil.AV_PIX_FMT_BGR24);
        if (url.startsWith("rtsp://") || url.startsWith("rtsps://")) {
            grabber.setOption("rtsp_transport", "tcp");
            grabber.setOption("timeout", Long.toString(NETWORK_TIMEOUT_US));
        } else if (url.contains("://")) {
            grabber.setOption("rw_timeout", Long.toString(NETWORK_TIMEOUT_US));
            if (url.startsWith("udp://") || url.startsWith("rtp://")) {
                // FFmpeg's UDP protocol sets the read timeout from its own "timeout" option when it
                // opens (0, for ever, by default), replacing rw_timeout: a sender that stopped left
                // next() blocked for ever
                grabber.setOption("timeout", Long.toString(NETWORK_TIMEOUT_US));
            }
        }
        try {
            grabber.start();
        } catch (FrameGrabber.Exception e) {
            close();
            String detail = SourceUnavailableException.ffmpegDetail(e);
            throw new SourceUnavailableException(openFailure(format, live), url,
                    "cannot open " + url + (detail.isEmpty() ? "" : ": " + detail), e);
        }
        if (grabber.getImageWidth() <= 0 || grabber.getImageHeight() <= 0) {
            close();
            throw new SourceUnavailableException(SourceUnavailableException.Reason.NOT_VIDEO, url,
                    "no video stream in " + url);
        }
    }

    /** What a failed open means: a camera, a network source, or a file FFmpeg cannot read as video. */
    private static SourceUnavailableException.Reason openFailure(@Nullable String format, boolean live) {
        if (format != null) {
            return SourceUnavailableException.Reason.NO_CAMERA;
        }
        return live ? SourceUnavailableException.Reason.UNREACHABLE : SourceUnavailableException.Reason.NOT_VIDEO;
    }

    public static FfmpegSource file(String path, boolean loop) throws IOException {
        return new FfmpegSource(path, null, loop, false);
    }

    /**
     * A recording on this machine that another party named (an agent reading {@code FILE_FRAME}
     * frames): only FFmpeg's {@code file} protocol and the demuxers of {@link #RECORDING_FORMATS},
     * so that the name, or the file's contents, cannot make FFmpeg fetch a URL, follow a playlist to
     * other files, or read other files through an image-sequence pattern. The caller has resolved
     * the path and checked that it is a regular file it may read.
     */
    public static FfmpegSource recording(Path realFile) throws IOException {
        return new FfmpegSource(realFile.toString(), null, false, false,
                Map.of("protocol_whitelist", "file", "format_whitelist", RECORDING_FORMATS));
    }

    /** Width of the decoded pictures. */
    public int width() {
        return grabber.getImageWidth();
    }

    /** Height of the decoded pictures. */
    public int height() {
        return grabber.getImageHeight();
    }

    public static FfmpegSource network(String url) throws IOException {
        return new FfmpegSource(url, null, false, true);
    }

    public static FfmpegSource camera(int index) throws IOException {
        return new FfmpegSource("/dev/video" + index, "video4linux2", false, true);
    }

    @Override
    public @Nullable VideoFrame next() throws IOException {
        try {
            Frame f = grabber.grabImage();
            if (f == null && loop && index > 0) {
                loopOffsetUs += Math.max(grabber.getTimestamp(), 0) + frameIntervalUs();
                grabber.setTimestamp(0);
                f = grabber.grabImage();
            }
            if (f == null || f.image == null) {
                return null;
            }
            return toFrame(f);
        } catch (FrameGrabber.Exception e) {
            throw new IOException("decoding " + url + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Positions a file at frame {@code frame} (0-based, in the numbering {@link #next()} gives):
     * FFmpeg seeks to the keyframe at or before it and decodes, without returning them, the frames
     * up to it; the next frame returned is {@code frame} with its own index and timestamp. A file
     * is never decoded from its start to get there.
     */
    public void seekTo(long frame) throws IOException {
        if (live || frame < 0 || frame > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("cannot seek " + url + " to frame " + frame);
        }
        try {
            grabber.setVideoFrameNumber((int) frame);
        } catch (FrameGrabber.Exception e) {
            throw new IOException("seeking " + url + " to frame " + frame + " failed: " + e.getMessage(), e);
        }
        index = frame;
    }

    private long frameIntervalUs() {
        double fps = frameRate();
        return fps > 0 ? (long) (1_000_000 / fps) : 0;
    }

    private VideoFrame toFrame(Frame f) {
        int w = f.imageWidth;
        int h = f.imageHeight;
        int rowBytes = w * 3;
        int stride = f.imageStride;
        ByteBuffer src = ((ByteBuffer) f.image[0]).duplicate();
        byte[] bgr = new byte[rowBytes * h];
        if (stride == rowBytes) {
            src.position(0);
            src.get(bgr, 0, bgr.length);
        } else {
            for (int y = 0; y < h; y++) {
                src.position(y * stride);
                src.get(bgr, y * rowBytes, rowBytes);
            }
        }
        long ts = live ? System.currentTimeMillis() * 1000 : loopOffsetUs + Math.max(0, f.timestamp);
        return new VideoFrame(index++, ts, w, h, bgr);
    }

    @Override
    public double frameRate() {
        return grabber.getFrameRate();
    }

    @Override
    public long frameCount() {
        return live || loop ? -1 : grabber.getLengthInVideoFrames();
    }

    @Override
    public boolean live() {
        return live;
    }

    /**
     * The container's {@code creation_time} tag (set by most cameras, recorders and FFmpeg's MP4,
     * MOV and MKV muxers when asked to): when the recording began, if the file says.
     */
    public Optional<Instant> creationTime() {
        String tag = grabber.getMetadata("creation_time");
        if (tag == null || tag.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(tag.trim()).toInstant());
        } catch (DateTimeParseException e) {
            try {
                return Optional.of(Instant.parse(tag.trim()));
            } catch (DateTimeParseException again) {
                return Optional.empty(); // a tag in another form: not guessed at
            }
        }
    }

    /** The file's duration in microseconds, as its container gives it (0 when unknown or live). */
    public long durationUs() {
        return live ? 0 : Math.max(0, grabber.getLengthInTime());
    }

    @Override
    public String describe() {
        return url + " (" + grabber.getImageWidth() + "x" + grabber.getImageHeight() + ", "
                + String.format("%.1f", frameRate()) + " fps, " + grabber.getVideoCodecName() + ")";
    }

    @Override
    public void close() {
        try {
            grabber.close();
        } catch (Exception ignored) {
            // closing a half-open grabber may fail; nothing more to free
        }
    }
}
