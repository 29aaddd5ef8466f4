package io.argus.agent.task.text;

import io.argus.agent.exec.AgentMetrics;
import io.argus.media.image.OpenCv;
import io.argus.testing.TestAssets;
import org.junit.jupiter.api.Test;
import org.opencv.core.Mat;
import org.opencv.imgcodecs.Imgcodecs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The line detector's native memory does not grow with the frames it has seen. OpenCV's Java
 * objects free their native side only in a finalizer, and MSER keeps about 19 MB of work buffers
 * in its native object for a 640x480 image: a detector made per frame held that much per frame
 * until a garbage collection ran, and in an agent that makes little garbage none may run for
 * hundreds of frames (the soak saw resident memory swing by 600 MB).
 */
class TextLineDetectorMemoryTest {
    @Test
    void residentMemoryStaysFlatOverManyFrames() {
        OpenCv.load();
        assumeThat(AgentMetrics.residentBytes()).as("needs /proc/self/status").isNotNaN();
        Mat photo = Imgcodecs.imread(TestAssets.root().resolve("images/text/scenetext01.jpg").toString());
        try {
            assertThat(photo.empty()).isFalse();
            TextLineDetector detector = new TextLineDetector(1280);
            for (int i = 0; i < 5; i++) {
                detector.detect(photo, 640); // JIT, allocator arenas, the one set of MSER buffers
            }
            double before = AgentMetrics.residentBytes();
            int frames = 40;
            for (int i = 0; i < frames; i++) {
                assertThat(detector.detect(photo, 640)).isNotEmpty();
            }
            double grownMb = (AgentMetrics.residentBytes() - before) / 1048576.0;
            // a detector per frame grows ~19 MB a frame here (~760 MB); 100 MB leaves room for
            // the heap the loop's garbage touches and malloc's arenas, and none for that leak
            assertThat(grownMb).as("resident growth over %d frames, MB", frames).isLessThan(100);
        } finally {
            photo.release();
        }
    }
}
