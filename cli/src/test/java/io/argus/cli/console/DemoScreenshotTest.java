package io.argus.cli.console;

import io.argus.media.image.OpenCv;
import io.argus.testing.TestAssets;
import org.junit.jupiter.api.Test;
import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.core.MatOfDouble;
import org.opencv.core.Rect;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code argus demo} as a user sees it: started under Xvfb, screenshot of the whole X screen after
 * about 20 s (ImageMagick's {@code import}), checked for content and for the counting line's amber
 * overlay. The picture is kept at {@code cli/target/screenshots/demo.png}.
 */
class DemoScreenshotTest {
    @Test
    void theDemoShowsTheFootageWithItsCountingLine() throws Exception {
        OpenCv.load();
        Path out = Path.of("target", "screenshots", "demo.png").toAbsolutePath();
        Files.createDirectories(out.getParent());
        Files.deleteIfExists(out);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cmd = "'" + java + "' -Dprism.order=sw -Dzookeeper.admin.enableServer=false -cp '"
                + System.getProperty("java.class.path") + "' io.argus.cli.ArgusLauncher demo --assets '"
                + TestAssets.root().toAbsolutePath() + "' --settings '" + out.getParent().resolve("demo-console.json")
                + "' --exit-after 40 > '" + out.getParent().resolve("demo.log")
                + "' 2>&1 & sleep 22; import -window root '" + out + "'; wait";
        Process p = new ProcessBuilder(List.of("xvfb-run", "-a", "-s", "-screen 0 1280x800x24", "bash", "-c", cmd))
                .redirectErrorStream(true).redirectOutput(out.getParent().resolve("xvfb.log").toFile()).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("demo finished").isTrue();
        assertThat(out).exists();
        Mat img = Imgcodecs.imread(out.toString());
        try {
            assertThat(img.cols()).isEqualTo(1280);
            MatOfDouble mean = new MatOfDouble();
            MatOfDouble std = new MatOfDouble();
            Core.meanStdDev(img, mean, std);
            // not a blank screen: the footage has texture
            assertThat(std.toArray()[0]).isGreaterThan(25);
            // the counting line's overlay (amber #ffc107, BGR 7,193,255), as a tall, thin band of pixels
            Mat amber = new Mat();
            Core.inRange(img, new Scalar(0, 160, 220), new Scalar(70, 215, 255), amber);
            int n = Core.countNonZero(amber);
            assertThat(n).as("amber overlay pixels").isGreaterThan(500);
            Mat pts = new Mat();
            Core.findNonZero(amber, pts);
            Rect box = Imgproc.boundingRect(pts);
            assertThat(box.height).as("the line spans the frame vertically").isGreaterThan(200);
            amber.release();
            pts.release();
        } finally {
            img.release();
        }
    }
}
