package io.argus.media.segment;

import io.argus.media.SourceUnavailableException;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avformat;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.PointerPointer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a video file's keyframes are, as frame numbers, read from its packets without decoding a
 * single picture: FFmpeg's demuxer reads each packet's header (flags, timestamp), which costs a
 * small fraction of decoding. A segment that starts at a keyframe can be decoded on its own, so
 * these are the places where a file can be cut ({@link SegmentPlan}).
 *
 * <p>Frame numbers are the packets' presentation times in frames of the stream's nominal rate,
 * counted from the first packet's: the numbering {@code FfmpegSource} gives the decoded frames.
 *
 * @param frames    video packets in the file (its frames)
 * @param frameRate nominal frames per second
 * @param keyframes frame numbers of the keyframes, ascending, the first one 0
 */
public record KeyframeIndex(long frames, double frameRate, List<Long> keyframes) {

    public KeyframeIndex {
        keyframes = List.copyOf(keyframes);
        if (frames <= 0 || keyframes.isEmpty() || keyframes.get(0) != 0) {
            throw new IllegalArgumentException("an index needs frames and a keyframe at frame 0: " + frames + ", " + keyframes);
        }
        if (!(frameRate > 0)) {
            throw new IllegalArgumentException("frame rate must be positive: " + frameRate);
        }
        for (int i = 1; i < keyframes.size(); i++) {
            if (keyframes.get(i) <= keyframes.get(i - 1)) {
                throw new IllegalArgumentException("keyframes must ascend: " + keyframes.get(i - 1) + " then " + keyframes.get(i));
            }
        }
    }

    /** Reads the index of {@code path}'s best video stream. */
    public static KeyframeIndex read(String path) throws IOException {
        AVFormatContext fmt = new AVFormatContext(null);
        if (avformat.avformat_open_input(fmt, path, null, null) < 0) {
            throw new SourceUnavailableException(SourceUnavailableException.Reason.NOT_VIDEO, path, "cannot open " + path);
        }
        AVPacket pkt = avcodec.av_packet_alloc();
        try {
            if (avformat.avformat_find_stream_info(fmt, (PointerPointer<?>) null) < 0) {
                throw new IOException("no stream information in " + path);
            }
            int video = avformat.av_find_best_stream(fmt, avutil.AVMEDIA_TYPE_VIDEO, -1, -1, (AVCodec) null, 0);
            if (video < 0) {
                throw new SourceUnavailableException(SourceUnavailableException.Reason.NOT_VIDEO, path, "no video stream in " + path);
            }
            AVStream stream = fmt.streams(video);
            double fps = rate(stream);
            double tb = avutil.av_q2d(stream.time_base());
            List<Long> pts = new ArrayList<>();
            List<Long> keyPts = new ArrayList<>();
            while (avformat.av_read_frame(fmt, pkt) >= 0) {
                try {
                    if (pkt.stream_index() == video) {
                        long t = pkt.pts() != avutil.AV_NOPTS_VALUE ? pkt.pts() : pkt.dts();
                        pts.add(t);
                        if ((pkt.flags() & avcodec.AV_PKT_FLAG_KEY) != 0) {
                            keyPts.add(t);
                        }
                    }
                } finally {
                    avcodec.av_packet_unref(pkt);
                }
            }
            if (pts.isEmpty()) {
                throw new IOException("no video packets in " + path);
            }
            // packets come in decoding order; the first picture shown is the smallest timestamp
            long first = pts.stream().mapToLong(Long::longValue).min().orElse(0);
            List<Long> keys = new ArrayList<>();
            for (long k : keyPts) {
                long frame = Math.round((k - first) * tb * fps);
                if (keys.isEmpty() || frame > keys.get(keys.size() - 1)) {
                    keys.add(frame);
                }
            }
            if (keys.isEmpty() || keys.get(0) != 0) {
                keys.add(0, 0L); // decoding starts at the file's beginning whatever its flags say
            }
            return new KeyframeIndex(pts.size(), fps, keys);
        } finally {
            avcodec.av_packet_free(pkt);
            avformat.avformat_close_input(fmt);
        }
    }

    private static double rate(AVStream stream) {
        AVRational r = stream.avg_frame_rate();
        if (r.num() > 0 && r.den() > 0) {
            return avutil.av_q2d(r);
        }
        r = stream.r_frame_rate();
        return r.num() > 0 && r.den() > 0 ? avutil.av_q2d(r) : 25.0;
    }

    /** The last keyframe at or before {@code frame} (0 for frames before the second keyframe). */
    public long keyframeAtOrBefore(long frame) {
        long best = 0;
        for (long k : keyframes) {
            if (k > frame) {
                break;
            }
            best = k;
        }
        return best;
    }
}
