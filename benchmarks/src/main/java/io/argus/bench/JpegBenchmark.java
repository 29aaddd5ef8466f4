package io.argus.bench;

import io.argus.media.image.OpenCv;
import io.argus.media.FfmpegSource;
import io.argus.media.VideoFrame;
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

import java.util.Objects;
import java.util.concurrent.TimeUnit;

/** JPEG encode (client side, quality 85) and decode (agent side) of a real 768x576 frame with OpenCV. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class JpegBenchmark {
    Mat frame;
    MatOfByte jpeg;
    MatOfInt params;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        OpenCv.load();
        OpenCv.setThreads(1);
        try (FfmpegSource s = FfmpegSource.file(BenchAssets.root().resolve("video/vtest.avi").toString(), false)) {
            VideoFrame f = Objects.requireNonNull(s.next(), "empty video");
            frame = new Mat(f.height(), f.width(), CvType.CV_8UC3);
            frame.put(0, 0, f.bgr());
        }
        params = new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, 85);
        jpeg = new MatOfByte();
        Imgcodecs.imencode(".jpg", frame, jpeg, params);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        frame.release();
        jpeg.release();
        params.release();
    }

    @Benchmark
    public int encodeQ85() {
        MatOfByte out = new MatOfByte();
        try {
            Imgcodecs.imencode(".jpg", frame, out, params);
            return (int) out.total();
        } finally {
            out.release();
        }
    }

    @Benchmark
    public int decode() {
        Mat m = Imgcodecs.imdecode(jpeg, Imgcodecs.IMREAD_COLOR);
        try {
            return m.cols();
        } finally {
            m.release();
        }
    }
}
