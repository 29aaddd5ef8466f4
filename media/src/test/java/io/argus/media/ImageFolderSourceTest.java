package io.argus.media;

import io.argus.media.image.OpenCv;
import io.argus.testing.TestAssets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Mat;
import org.opencv.imgcodecs.Imgcodecs;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ImageFolderSourceTest {
    @BeforeAll
    static void load() {
        OpenCv.load();
    }

    @Test
    void jpegFilesComeAsTheyAreAndDecodeOnlyWhenAskedToTheSamePixelsAsOpenCvReads(@TempDir Path dir) throws Exception {
        Path photo = TestAssets.file("images/text/scenetext06.jpg");
        Files.copy(photo, dir.resolve("a.jpg"));
        Files.copy(TestAssets.file("images/faces/messi5.jpg"), dir.resolve("b.png.jpg"));
        Mat png = Imgcodecs.imread(photo.toString());
        Imgcodecs.imwrite(dir.resolve("c.png").toString(), png);
        try (ImageFolderSource src = new ImageFolderSource(dir, false)) {
            VideoFrame a = src.next();
            assertThat(a.jpeg()).isEqualTo(Files.readAllBytes(photo));
            assertThat(a.width()).isEqualTo(640);
            assertThat(a.height()).isEqualTo(480);
            byte[] expected = new byte[640 * 480 * 3];
            png.get(0, 0, expected);
            assertThat(a.bgr()).isEqualTo(expected); // the same decoder, the same pixels
            VideoFrame b = src.next();
            assertThat(b.jpeg()).isNotNull();
            assertThat(b.index()).isEqualTo(1);
            VideoFrame c = src.next();
            assertThat(c.jpeg()).as("a PNG is decoded by the source").isNull();
            assertThat(c.bgr()).isEqualTo(expected);
            assertThat(src.next()).isNull();
        } finally {
            png.release();
        }
    }
}
