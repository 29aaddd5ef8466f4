package io.argus.bench;

import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;

import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.bytedeco.ffmpeg.global.avutil.*;
import static org.bytedeco.ffmpeg.global.swscale.*;

/**
 * FFmpeg's MJPEG encoder and decoder through bytedeco, for the encoder comparison only: BGR24 is
 * converted to full-range YUV 4:2:0 by swscale (what a JPEG holds), encoded at a fixed quantiser.
 * One instance per thread; it keeps its codec contexts and buffers.
 */
public final class FfmpegMjpeg implements AutoCloseable {
    private final int width;
    private final int height;
    private final AVCodecContext enc;
    private final AVCodecContext dec;
    private final AVFrame yuv;
    private final AVFrame decoded;
    private final AVPacket packet;
    private final SwsContext toYuv;
    private final SwsContext toBgr;
    private final BytePointer bgrIn;
    private final BytePointer bgrOut;

    /** @param qscale FFmpeg quantiser, 2 (best) to 31 */
    public FfmpegMjpeg(int width, int height, int qscale) {
        this.width = width;
        this.height = height;
        AVCodec e = avcodec_find_encoder(AV_CODEC_ID_MJPEG);
        enc = avcodec_alloc_context3(e);
        enc.width(width).height(height).pix_fmt(AV_PIX_FMT_YUVJ420P).time_base(av_make_q(1, 25));
        enc.flags(enc.flags() | AV_CODEC_FLAG_QSCALE).global_quality(FF_QP2LAMBDA * qscale).qmin(qscale).qmax(qscale);
        check(avcodec_open2(enc, e, (AVDictionary) null), "open MJPEG encoder");
        AVCodec d = avcodec_find_decoder(AV_CODEC_ID_MJPEG);
        dec = avcodec_alloc_context3(d);
        check(avcodec_open2(dec, d, (AVDictionary) null), "open MJPEG decoder");
        yuv = av_frame_alloc();
        yuv.format(AV_PIX_FMT_YUVJ420P).width(width).height(height);
        check(av_frame_get_buffer(yuv, 32), "frame buffer");
        yuv.quality(FF_QP2LAMBDA * qscale);
        decoded = av_frame_alloc();
        packet = av_packet_alloc();
        toYuv = sws_getContext(width, height, AV_PIX_FMT_BGR24, width, height, AV_PIX_FMT_YUVJ420P, SWS_BILINEAR,
                null, null, (DoublePointer) null);
        toBgr = sws_getContext(width, height, AV_PIX_FMT_YUVJ420P, width, height, AV_PIX_FMT_BGR24, SWS_BILINEAR,
                null, null, (DoublePointer) null);
        bgrIn = new BytePointer((long) width * height * 3);
        bgrOut = new BytePointer((long) width * height * 3);
    }

    public byte[] encode(byte[] bgr, long pts) {
        bgrIn.put(bgr);
        sws_scale(toYuv, packedPlanes(bgrIn), packedStrides(), 0, height, yuv.data(), yuv.linesize());
        yuv.pts(pts);
        check(avcodec_send_frame(enc, yuv), "send frame");
        check(avcodec_receive_packet(enc, packet), "receive packet");
        try {
            byte[] out = new byte[packet.size()];
            packet.data().get(out);
            return out;
        } finally {
            av_packet_unref(packet);
        }
    }

    /** Decodes into {@code out} (width x height x 3 bytes of BGR). */
    public void decode(byte[] jpeg, byte[] out) {
        BytePointer data = new BytePointer(jpeg);
        try {
            packet.data(data).size(jpeg.length);
            check(avcodec_send_packet(dec, packet), "send packet");
            check(avcodec_receive_frame(dec, decoded), "receive frame");
            sws_scale(toBgr, decoded.data(), decoded.linesize(), 0, height, packedPlanes(bgrOut), packedStrides());
            bgrOut.get(out);
            av_frame_unref(decoded);
        } finally {
            packet.data(null).size(0);
            data.close();
        }
    }

    /** swscale reads four plane pointers and strides even for a packed format. */
    private static PointerPointer<BytePointer> packedPlanes(BytePointer p) {
        return new PointerPointer<>(p, null, null, null);
    }

    private IntPointer packedStrides() {
        return new IntPointer(width * 3, 0, 0, 0);
    }

    private static void check(int rc, String what) {
        if (rc < 0) {
            throw new IllegalStateException("FFmpeg: " + what + " failed (" + rc + ")");
        }
    }

    @Override
    public void close() {
        avcodec_free_context(enc);
        avcodec_free_context(dec);
        av_frame_free(yuv);
        av_frame_free(decoded);
        av_packet_free(packet);
        sws_freeContext(toYuv);
        sws_freeContext(toBgr);
        bgrIn.close();
        bgrOut.close();
    }
}
