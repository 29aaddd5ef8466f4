package io.argus.agent.image;

import com.google.protobuf.ByteOutput;
import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.argus.media.FfmpegLog;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.jspecify.annotations.Nullable;
import org.opencv.core.CvType;
import org.opencv.core.Mat;

import java.io.IOException;
import java.nio.ByteBuffer;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_MJPEG;
import static org.bytedeco.ffmpeg.global.avcodec.AV_INPUT_BUFFER_PADDING_SIZE;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_flush_buffers;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_RANGE_JPEG;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV411P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV422P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV440P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV444P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ411P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ420P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ422P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ440P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ444P;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;
import static org.bytedeco.ffmpeg.global.swscale.SWS_ACCURATE_RND;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BILINEAR;
import static org.bytedeco.ffmpeg.global.swscale.SWS_CS_DEFAULT;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCoefficients;
import static org.bytedeco.ffmpeg.global.swscale.sws_setColorspaceDetails;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCachedContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;

/**
 * JPEG decoding with FFmpeg's MJPEG decoder (SIMD IDCT) and swscale, 2.5x faster than
 * OpenCV's on this machine (BENCHMARKS.md, JPEG codecs). One instance per worker thread: it keeps
 * its codec context, conversion context and input buffer between frames.
 *
 * <p>It answers null, never garbage, when FFmpeg refuses the data or produces something else
 * than the header promised; {@link ImageDecoder} then tries OpenCV, which reads the rarer JPEG
 * flavours FFmpeg does not (arithmetic coding, some CMYK files). Dimensions must have been checked
 * against the limits before, from the header.
 */
final class FfmpegJpegDecoder implements AutoCloseable {
    private final AVCodecContext ctx;
    private final AVPacket packet;
    private final AVFrame frame;
    private @Nullable SwsContext sws;
    private int swsWidth;
    private int swsHeight;
    private int swsFormat = -1;
    private boolean swsFullRange;
    private BytePointer input = new BytePointer(0L);

    FfmpegJpegDecoder() {
        FfmpegLog.install(); // a corrupt frame is a typed error, not a stream of stderr lines
        AVCodec codec = avcodec_find_decoder(AV_CODEC_ID_MJPEG);
        if (codec == null) {
            throw new IllegalStateException("FFmpeg has no MJPEG decoder");
        }
        ctx = avcodec_alloc_context3(codec);
        ctx.thread_count(1); // the agent's workers are the parallelism
        if (avcodec_open2(ctx, codec, (AVDictionary) null) < 0) {
            avcodec_free_context(ctx);
            throw new IllegalStateException("cannot open FFmpeg's MJPEG decoder");
        }
        packet = av_packet_alloc();
        frame = av_frame_alloc();
    }

    /** Decodes into a new BGR Mat of exactly {@code width x height}, or returns null. */
    @Nullable Mat decode(ByteString jpeg, int width, int height) {
        int n = jpeg.size();
        ensureInput(n);
        copy(jpeg, input);
        input.position(0).limit(n);
        packet.data(input).size(n);
        try {
            if (avcodec_send_packet(ctx, packet) < 0 || avcodec_receive_frame(ctx, frame) < 0) {
                avcodec_flush_buffers(ctx);
                return null;
            }
            try {
                if (frame.width() != width || frame.height() != height) {
                    return null;
                }
                // ACCURATE_RND: swscale's fast paths are off by about 30 dB PSNR from libjpeg's
                // colours on real photos; this costs a little speed and gives > 40 dB (tested)
                int format = frame.format();
                int plain = limitedRangeTwin(format);
                // swscale rebuilds the context exactly when these change, and then it must be told
                // the range again
                boolean rebuilt = sws == null || width != swsWidth || height != swsHeight || plain != swsFormat;
                sws = sws_getCachedContext(sws, width, height, plain, width, height, AV_PIX_FMT_BGR24,
                        SWS_BILINEAR | SWS_ACCURATE_RND, null, null, (DoublePointer) null);
                if (sws == null) {
                    return null; // a pixel format swscale cannot convert
                }
                // JPEG's YUV is full range (the deprecated "J" formats said so; newer FFmpeg says it
                // in color_range): tell swscale once per context, and again if it changes
                boolean fullRange = plain != format || frame.color_range() == AVCOL_RANGE_JPEG;
                if (rebuilt || fullRange != swsFullRange) {
                    IntPointer coefficients = sws_getCoefficients(SWS_CS_DEFAULT);
                    int range = fullRange ? 1 : 0;
                    sws_setColorspaceDetails(sws, coefficients, range, coefficients, range, 0, 1 << 16, 1 << 16);
                }
                swsWidth = width;
                swsHeight = height;
                swsFormat = plain;
                swsFullRange = fullRange;
                Mat out = new Mat(height, width, CvType.CV_8UC3);
                try (BytePointer dst = new AddressPointer(out.dataAddr(), out.total() * 3);
                     PointerPointer<BytePointer> planes = new PointerPointer<>(dst, null, null, null);
                     IntPointer strides = new IntPointer((int) out.step1(0), 0, 0, 0)) {
                    if (sws_scale(sws, frame.data(), frame.linesize(), 0, height, planes, strides) != height) {
                        out.release();
                        return null;
                    }
                }
                return out;
            } finally {
                av_frame_unref(frame);
            }
        } finally {
            packet.data(null).size(0);
        }
    }

    /**
     * The MJPEG decoder reports full-range YUV as the deprecated "J" formats. Handed one of them,
     * swscale converts it to its limited-range twin inside the context, so the context never
     * matches the next call's arguments and {@code sws_getCachedContext} built a new one for every
     * frame (and FFmpeg logged "deprecated pixel format used" each time). Asking for the twin and
     * setting the range explicitly keeps one context per worker.
     */
    static int limitedRangeTwin(int format) {
        if (format == AV_PIX_FMT_YUVJ420P) {
            return AV_PIX_FMT_YUV420P;
        } else if (format == AV_PIX_FMT_YUVJ422P) {
            return AV_PIX_FMT_YUV422P;
        } else if (format == AV_PIX_FMT_YUVJ444P) {
            return AV_PIX_FMT_YUV444P;
        } else if (format == AV_PIX_FMT_YUVJ440P) {
            return AV_PIX_FMT_YUV440P;
        } else if (format == AV_PIX_FMT_YUVJ411P) {
            return AV_PIX_FMT_YUV411P;
        }
        return format;
    }

    /** The input buffer, with the zeroed padding FFmpeg's bit reader may read past the data. */
    private void ensureInput(int n) {
        long need = n + (long) AV_INPUT_BUFFER_PADDING_SIZE;
        if (input.capacity() < need) {
            input.close();
            input = new BytePointer(Math.max(need, input.capacity() * 2));
        }
        input.position(n).limit(need);
        input.fill(0);
    }

    private static void copy(ByteString from, BytePointer to) {
        long[] at = {0};
        try {
            UnsafeByteOperations.unsafeWriteTo(from, new ByteOutput() {
                @Override
                public void write(byte value) {
                    to.position(at[0]).put(value);
                    at[0]++;
                }

                @Override
                public void write(byte[] value, int offset, int length) {
                    to.position(at[0]).put(value, offset, length);
                    at[0] += length;
                }

                @Override
                public void writeLazy(byte[] value, int offset, int length) {
                    write(value, offset, length);
                }

                @Override
                public void write(ByteBuffer value) {
                    byte[] a = new byte[value.remaining()];
                    value.duplicate().get(a);
                    write(a, 0, a.length);
                }

                @Override
                public void writeLazy(ByteBuffer value) {
                    write(value);
                }
            });
        } catch (IOException e) {
            throw new IllegalStateException("copying JPEG bytes", e); // not thrown by the output above
        }
    }

    @Override
    public void close() {
        avcodec_free_context(ctx);
        av_packet_free(packet);
        av_frame_free(frame);
        if (sws != null) {
            sws_freeContext(sws);
        }
        input.close();
    }

    /** A view of memory owned by someone else (an OpenCV Mat): never freed by JavaCPP. */
    private static final class AddressPointer extends BytePointer {
        AddressPointer(long address, long bytes) {
            super((Pointer) null);
            this.address = address;
            this.capacity = bytes;
            this.limit = bytes;
        }
    }
}
