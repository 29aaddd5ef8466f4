package io.argus.media;

import io.argus.testing.TestAssets;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FfmpegSourceTest {

    @Test
    void decodesEveryFrameOfTheSampleClip() throws Exception {
        // vtest.avi is MS-MPEG4 v3, which openpnp's VideoCapture cannot open at all
        try (FrameSource s = Sources.open(TestAssets.vtest().toString(), false)) {
            assertThat(s.frameRate()).isEqualTo(10.0);
            long n = 0;
            long lastTs = -1;
            VideoFrame f;
            long checksum = 0;
            while ((f = s.next()) != null) {
                assertThat(f.index()).isEqualTo(n);
                assertThat(f.width()).isEqualTo(768);
                assertThat(f.height()).isEqualTo(576);
                assertThat(f.bgr()).hasSize(768 * 576 * 3);
                assertThat(f.timestampUs()).isGreaterThan(lastTs);
                lastTs = f.timestampUs();
                checksum += f.bgr()[f.bgr().length / 2] & 0xff;
                n++;
            }
            assertThat(n).isEqualTo(795);
            assertThat(checksum).isPositive(); // not all black
        }
    }

    @Test
    void loopingRestartsWithIncreasingIndexAndTime() throws Exception {
        try (FrameSource s = Sources.open(TestAssets.vtest().toString(), true)) {
            VideoFrame f = null;
            for (int i = 0; i < 800; i++) {
                VideoFrame g = s.next();
                assertThat(g).isNotNull();
                if (f != null) {
                    assertThat(g.timestampUs()).isGreaterThan(f.timestampUs());
                }
                f = g;
            }
            assertThat(f.index()).isEqualTo(799);
        }
    }

    @Test
    void imageFolderIsASource() throws Exception {
        Path dir = TestAssets.root().resolve("images/text");
        try (ImageFolderSource s = new ImageFolderSource(dir, false)) {
            int n = 0;
            while (s.next() != null) {
                n++;
            }
            assertThat(n).isEqualTo(s.files().size()).isGreaterThanOrEqualTo(6);
        }
    }

    @Test
    void missingOrBrokenFilesFailWithAClearError() throws IOException {
        assertThatThrownBy(() -> Sources.open("/nonexistent/clip.mp4", false)).isInstanceOf(IOException.class)
                .hasMessageContaining("no such file");
        Path junk = Files.createTempFile("junk", ".mp4");
        Files.writeString(junk, "this is not a video");
        assertThatThrownBy(() -> Sources.open(junk.toString(), false)).isInstanceOf(IOException.class)
                .hasMessageContaining("cannot open");
    }

    @Test
    void streamNamesAreSafe() {
        assertThat(Sources.defaultStreamName("/a/b/vtest.avi")).isEqualTo("vtest");
        assertThat(Sources.defaultStreamName("rtsp://cam.local:554/live/main")).isEqualTo("cam.local-554-live-main");
        assertThat(Sources.defaultStreamName("camera:0")).isEqualTo("camera-0");
    }
}
