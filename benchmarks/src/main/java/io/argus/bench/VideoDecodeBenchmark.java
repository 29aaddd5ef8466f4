package io.argus.bench;

import io.argus.media.FfmpegSource;
import io.argus.media.VideoFrame;
import org.jspecify.annotations.Nullable;
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

import java.util.concurrent.TimeUnit;

/** Cost of decoding one frame of the sample clip (MS-MPEG4 v3, 768x576) with FFmpeg into packed BGR. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class VideoDecodeBenchmark {
    FfmpegSource source;

    @Setup(Level.Trial)
    public void open() throws Exception {
        // looping, so the clip never runs out during a measurement
        source = FfmpegSource.file(BenchAssets.root().resolve("video/vtest.avi").toString(), true);
    }

    @TearDown(Level.Trial)
    public void close() {
        source.close();
    }

    @Benchmark
    public @Nullable VideoFrame decodeOneFrame() throws Exception {
        return source.next();
    }
}
