package io.argus.bench;

import io.argus.media.image.OpenCv;
import io.argus.media.image.TurboJpeg;
import com.google.protobuf.ByteString;
import io.argus.agent.image.ImageDecoder;
import io.argus.media.FfmpegSource;
import io.argus.media.VideoFrame;
import io.argus.protocol.v1.Encoding;
import io.argus.protocol.v1.Image;
import io.argus.task.image.ImageLimits;
import org.bytedeco.javacpp.BytePointer;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.imgcodecs.Imgcodecs;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * The JPEG codecs available to Argus on the same 768x576 frame of {@code vtest.avi}, end to end
 * as the client and the agent use them: encode from the decoder's BGR bytes to JPEG bytes (the
 * client), decode from JPEG bytes to a BGR Mat or array (the agent). Quality 80 for the libjpeg
 * family; FFmpeg's encoder takes a quantiser instead, set to 4, which gives files of about the
 * same size ({@link JpegSizes} prints them). One thread, as on one worker.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class JpegCodecsBenchmark {
    static final int QUALITY = 80;
    static final int FFMPEG_QSCALE = 4;

    byte[] bgr;
    int width;
    int height;
    byte[] jpeg;
    MatOfByte jpegMat;
    MatOfInt params;
    TurboJpeg turbo;
    BytePointer jpegNative;
    ImageWriter writer;
    ImageWriteParam writeParam;
    BufferedImage image;
    FfmpegMjpeg ffmpeg;
    byte[] ffmpegJpeg;
    byte[] bgrOut;
    long pts;
    ImageDecoder argus;
    Image wireImage;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        OpenCv.load();
        OpenCv.setThreads(1);
        try (FfmpegSource s = FfmpegSource.file(BenchAssets.root().resolve("video/vtest.avi").toString(), false)) {
            VideoFrame f = null;
            for (int i = 0; i < 100; i++) {
                f = s.next(); // a frame with people in it, not the first one
            }
            bgr = Objects.requireNonNull(f, "short video").bgr().clone();
            width = f.width();
            height = f.height();
        }
        params = new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, QUALITY);
        turbo = new TurboJpeg();
        jpeg = opencvEncode();
        jpegMat = new MatOfByte(jpeg);
        jpegNative = new BytePointer(jpeg);
        writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        writeParam = writer.getDefaultWriteParam();
        writeParam.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        writeParam.setCompressionQuality(QUALITY / 100f);
        image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        ffmpeg = new FfmpegMjpeg(width, height, FFMPEG_QSCALE);
        ffmpegJpeg = ffmpeg.encode(bgr, pts++);
        bgrOut = new byte[bgr.length];
        argus = new ImageDecoder(ImageLimits.DEFAULT);
        wireImage = Image.newBuilder().setEncoding(Encoding.JPEG)
                .setData(ByteString.copyFrom(jpeg)).build();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        params.release();
        jpegMat.release();
        jpegNative.close();
        writer.dispose();
        ffmpeg.close();
        argus.close();
    }

    private Mat bgrMat() {
        Mat m = new Mat(height, width, CvType.CV_8UC3);
        m.put(0, 0, bgr);
        return m;
    }

    @Benchmark
    public byte[] encodeOpencv() {
        return opencvEncode();
    }

    private byte[] opencvEncode() {
        Mat m = bgrMat();
        MatOfByte out = new MatOfByte();
        try {
            Imgcodecs.imencode(".jpg", m, out, params);
            return out.toArray();
        } finally {
            m.release();
            out.release();
        }
    }

    @Benchmark
    public byte[] encodeTurbo() {
        Mat m = bgrMat();
        try {
            return turbo.encode(m, QUALITY);
        } finally {
            m.release();
        }
    }

    @Benchmark
    public byte[] encodeImageio() throws Exception {
        byte[] raster = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        System.arraycopy(bgr, 0, raster, 0, bgr.length); // TYPE_3BYTE_BGR holds exactly this layout
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * 1024);
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(image, null, null), writeParam);
        }
        return bytes.toByteArray();
    }

    @Benchmark
    public byte[] encodeFfmpegMjpeg() {
        return ffmpeg.encode(bgr, pts++);
    }

    @Benchmark
    public int decodeOpencv() {
        Mat m = Imgcodecs.imdecode(jpegMat, Imgcodecs.IMREAD_COLOR);
        try {
            return m.cols();
        } finally {
            m.release();
        }
    }

    @Benchmark
    public int decodeTurbo() {
        Mat m = Objects.requireNonNull(turbo.decode(jpegNative, jpeg.length));
        try {
            return m.cols();
        } finally {
            m.release();
        }
    }

    /** What an agent runs: Argus's ImageDecoder (header checks, then FFmpeg, as deployed). */
    @Benchmark
    public int decodeArgusImageDecoder() throws Exception {
        Mat m = argus.decode(wireImage);
        try {
            return m.cols();
        } finally {
            argus.release(m);
        }
    }

    @Benchmark
    public int decodeImageio() throws Exception {
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(jpeg));
        return img.getWidth();
    }

    @Benchmark
    public int decodeFfmpegMjpeg() {
        ffmpeg.decode(ffmpegJpeg, bgrOut);
        return bgrOut[0];
    }
}
