package io.argus.media.segment;

import io.argus.media.FfmpegSource;
import io.argus.media.VideoFrame;
import io.argus.testing.LongerFootage;
import io.argus.testing.TestAssets;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class KeyframeIndexTest {

    /** The keyframes found the slow way: decoding every picture and asking the decoder. */
    private static List<Long> decodedKeyframes(Path file) throws Exception {
        List<Long> keys = new ArrayList<>();
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(file.toString())) {
            g.start();
            Frame f;
            long n = 0;
            while ((f = g.grabImage()) != null) {
                if (f.keyFrame) {
                    keys.add(n);
                }
                n++;
            }
        }
        return keys;
    }

    @Test
    void theSampleClipsKeyframesAreTheDecodersWithoutDecoding() throws Exception {
        KeyframeIndex index = KeyframeIndex.read(TestAssets.vtest().toString());
        assertThat(index.frames()).isEqualTo(795);
        assertThat(index.frameRate()).isEqualTo(10.0);
        assertThat(index.keyframes()).isEqualTo(decodedKeyframes(TestAssets.vtest()));
        assertThat(index.keyframes()).hasSizeGreaterThan(1); // there is somewhere to cut
    }

    @Test
    void aFileMadeOfTheClipTwiceHasTheSecondCopysKeyframesToo(@TempDir Path dir) throws Exception {
        Path twice = LongerFootage.vtestTwice(dir);
        KeyframeIndex once = KeyframeIndex.read(TestAssets.vtest().toString());
        KeyframeIndex index = KeyframeIndex.read(twice.toString());
        assertThat(index.frames()).isEqualTo(2 * once.frames());
        assertThat(index.keyframes()).isEqualTo(decodedKeyframes(twice));
        assertThat(index.keyframes()).contains(once.frames()); // the second copy starts with a keyframe
        assertThat(index.keyframeAtOrBefore(once.frames() + 10)).isEqualTo(once.frames());
    }

    @Test
    void aSourceSeekedToAFrameGivesThatFramesPixels() throws Exception {
        KeyframeIndex index = KeyframeIndex.read(TestAssets.vtest().toString());
        long key = index.keyframes().get(1);
        long[] targets = {key, key + 7}; // a keyframe, and a frame decoded from the one before it
        List<byte[]> serial = new ArrayList<>();
        try (FfmpegSource s = FfmpegSource.file(TestAssets.vtest().toString(), false)) {
            VideoFrame f;
            while ((f = s.next()) != null && f.index() <= targets[1] + 2) {
                if (f.index() == targets[0] || f.index() == targets[1]) {
                    serial.add(f.bgr());
                }
            }
        }
        for (int i = 0; i < targets.length; i++) {
            try (FfmpegSource s = FfmpegSource.file(TestAssets.vtest().toString(), false)) {
                s.seekTo(targets[i]);
                VideoFrame f = s.next();
                assertThat(f).isNotNull();
                assertThat(f.index()).isEqualTo(targets[i]);
                assertThat(f.timestampUs()).isEqualTo(targets[i] * 100_000); // 10 fps
                assertThat(Arrays.equals(f.bgr(), serial.get(i))).as("frame %d", targets[i]).isTrue();
            }
        }
    }
}
