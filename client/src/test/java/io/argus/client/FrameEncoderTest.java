package io.argus.client;

import io.argus.media.image.OpenCv;
import io.argus.media.ImageFolderSource;
import io.argus.media.VideoFrame;
import io.argus.protocol.v1.Encoding;
import io.argus.protocol.v1.Image;
import io.argus.testing.TestAssets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class FrameEncoderTest {
    private static final Path PHOTO = TestAssets.file("images/text/scenetext06.jpg");

    @BeforeAll
    static void load() {
        OpenCv.load();
    }

    @Test
    void aJpegFileIsSentAsItIsAndOtherEncodingsUseItsPixels(@TempDir Path dir) throws Exception {
        Files.copy(PHOTO, dir.resolve("a.jpg"));
        VideoFrame f;
        try (ImageFolderSource src = new ImageFolderSource(dir, false)) {
            f = src.next();
        }
        Image jpeg = FrameEncoder.jpeg(50).encode(f);
        assertThat(jpeg.getData().toByteArray()).isEqualTo(Files.readAllBytes(PHOTO));
        assertThat(jpeg.getWidth()).isEqualTo(640);
        assertThat(jpeg.getHeight()).isEqualTo(480);

        Image raw = new FrameEncoder(Encoding.RAW_BGR, 80).encode(f);
        assertThat(raw.getData().size()).isEqualTo(640 * 480 * 3);

        // a decoded frame (no file behind it) is encoded at the quality asked for
        VideoFrame decoded = new VideoFrame(0, 0, 640, 480, raw.getData().toByteArray());
        Image reencoded = FrameEncoder.jpeg(50).encode(decoded);
        Mat back = Imgcodecs.imdecode(new MatOfByte(reencoded.getData().toByteArray()), Imgcodecs.IMREAD_COLOR);
        try {
            assertThat(back.cols()).isEqualTo(640);
            assertThat(back.rows()).isEqualTo(480);
            assertThat(reencoded.getData().size()).isLessThan(jpeg.getData().size()); // q50 against the camera's own
        } finally {
            back.release();
        }
    }
}
