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
 * The packets of a file's best video stream, read by FFmpeg's demuxer without decoding a picture:
 * each packet's timestamp (its presentation time, or its decoding time when it has none) and
 * whether it is a keyframe, in the order the file stores them (decoding order). Packets the file
 * marks as discarded (cut by an MP4 edit list) and packets without any time are left out: the
 * decoder shows neither as a frame.
 *
 * @param frameRate nominal frames per second
 * @param timeBaseNum seconds per timestamp unit: this numerator...
 * @param timeBaseDen ...over this denominator
 * @param pts       timestamps in the stream's time base, in file order
 * @param keyPts    the keyframes' timestamps, in file order
 */
record VideoPackets(double frameRate, long timeBaseNum, long timeBaseDen, long[] pts, long[] keyPts) {

    static VideoPackets read(String path) throws IOException {
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
            AVRational tb = stream.time_base();
            List<Long> pts = new ArrayList<>();
            List<Long> keyPts = new ArrayList<>();
            while (avformat.av_read_frame(fmt, pkt) >= 0) {
                try {
                    long t = pkt.pts() != avutil.AV_NOPTS_VALUE ? pkt.pts() : pkt.dts();
                    // a packet an edit list discards, or one without any time, is never shown as a frame
                    if (pkt.stream_index() == video && (pkt.flags() & avcodec.AV_PKT_FLAG_DISCARD) == 0 && t != avutil.AV_NOPTS_VALUE) {
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
            return new VideoPackets(rate(stream), tb.num(), tb.den(), pts.stream().mapToLong(Long::longValue).toArray(),
                    keyPts.stream().mapToLong(Long::longValue).toArray());
        } finally {
            avcodec.av_packet_free(pkt);
            avformat.avformat_close_input(fmt);
        }
    }

    /** Seconds per timestamp unit. */
    double timeBase() {
        return (double) timeBaseNum / timeBaseDen;
    }

    private static double rate(AVStream stream) {
        AVRational r = stream.avg_frame_rate();
        if (r.num() > 0 && r.den() > 0) {
            return avutil.av_q2d(r);
        }
        r = stream.r_frame_rate();
        return r.num() > 0 && r.den() > 0 ? avutil.av_q2d(r) : 25.0;
    }
}
