package io.argus.agent.image;

import io.argus.cluster.SourcePolicy;
import io.argus.media.FfmpegSource;
import io.argus.media.VideoFrame;
import io.argus.media.image.OpenCv;
import io.argus.protocol.v1.Code;
import io.argus.task.api.TaskException;
import io.argus.task.image.ImageLimits;
import io.argus.testing.TestAssets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Mat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link FileFrameReader} on real footage (vtest.avi, keyframes at 0, 250 and 500): frames read by
 * the agent are the frames a client decoding the file would send, byte for byte and with their
 * media times, whether read on or reached by a seek; and only files under a media root are read.
 */
class FileFrameReaderTest {
    private final ImageDecoder decoder = new ImageDecoder(ImageLimits.DEFAULT);
    private final AtomicLong clock = new AtomicLong(1_000_000);
    private final List<Mat> toRelease = new ArrayList<>();
    private FileFrameReader reader;
    private String vtest;

    @BeforeEach
    void setUp() throws Exception {
        OpenCv.load();
        Path real = TestAssets.vtest().toRealPath();
        vtest = real.toString();
        reader = new FileFrameReader(FileFrameConfig.DEFAULT, decoder, clock::get);
        reader.policy(() -> SourcePolicy.DEFAULT.withClientFiles(true).withMediaRoot(real.getParent()));
    }

    @AfterEach
    void tearDown() {
        toRelease.forEach(Mat::release);
        reader.close();
        decoder.close();
    }

    /** The frames a client decodes from the file with FFmpeg: what it would send raw. */
    private static List<VideoFrame> decodedByClient(String file, int from, int count) throws Exception {
        List<VideoFrame> out = new ArrayList<>();
        try (FfmpegSource s = FfmpegSource.file(file, false)) {
            VideoFrame f;
            while ((f = s.next()) != null && out.size() < count) {
                if (f.index() >= from) {
                    out.add(f);
                }
            }
        }
        return out;
    }

    private byte[] pixels(FileFrameReader.Decoded d) {
        toRelease.add(d.frame());
        byte[] b = new byte[(int) (d.frame().total() * d.frame().channels())];
        d.frame().get(0, 0, b);
        return b;
    }

    @Test
    void framesReadOnAreTheClientsFramesWithTheirMediaTimes() throws Exception {
        List<VideoFrame> expected = decodedByClient(vtest, 0, 30);
        for (VideoFrame f : expected) {
            FileFrameReader.Decoded d = reader.read("s", vtest, f.index());
            assertThat(d.mediaTimeUs()).as("frame %d", f.index()).isEqualTo(f.timestampUs() + 1);
            assertThat(pixels(d)).as("frame %d", f.index()).isEqualTo(f.bgr());
        }
        assertThat(reader.open()).isEqualTo(1);
    }

    @Test
    void aSeekGivesTheFramesReadingOnWouldHaveGiven() throws Exception {
        // 260 is ten frames after the keyframe at 250: the seek decodes 250-259 without returning them
        List<VideoFrame> expected = decodedByClient(vtest, 258, 4);
        reader.read("s", vtest, 3).frame().release();
        for (VideoFrame f : expected) {
            FileFrameReader.Decoded d = reader.read("s", vtest, f.index());
            assertThat(pixels(d)).as("frame %d", f.index()).isEqualTo(f.bgr());
            assertThat(d.mediaTimeUs()).isEqualTo(f.timestampUs() + 1);
        }
        // and back again: a replay from an earlier checkpoint after a failover
        VideoFrame early = decodedByClient(vtest, 120, 1).get(0);
        assertThat(pixels(reader.read("s", vtest, 120))).isEqualTo(early.bgr());
    }

    @Test
    void framesAskedOutOfOrderWithinAWindowAreTheRightFrames() throws Exception {
        // a stateless stream's frames run on two workers at once: 12 may be asked before 11
        List<VideoFrame> expected = decodedByClient(vtest, 10, 8);
        for (int i : new int[]{0, 2, 1, 3, 7, 4, 6, 5}) {
            VideoFrame f = expected.get(i);
            FileFrameReader.Decoded d = reader.read("s", vtest, f.index());
            assertThat(pixels(d)).as("frame %d", f.index()).isEqualTo(f.bgr());
            assertThat(d.mediaTimeUs()).isEqualTo(f.timestampUs() + 1);
        }
    }

    @Test
    void filesOutsideTheMediaRootsAreRefusedAsPermissionDenied(@TempDir Path tmp) throws Exception {
        Path outside = Files.copy(TestAssets.vtest(), tmp.resolve("copy.avi"));
        assertThatThrownBy(() -> reader.read("s", outside.toString(), 0))
                .isInstanceOfSatisfying(TaskException.class, e -> assertThat(e.code()).isEqualTo(Code.PERMISSION_DENIED))
                .hasMessageContaining("media root");
        // a link under the root to the file outside it: judged by where it leads
        Path root = Files.createDirectories(tmp.resolve("root"));
        Path link = Files.createSymbolicLink(root.resolve("link.avi"), outside);
        FileFrameReader rooted = new FileFrameReader(FileFrameConfig.DEFAULT, decoder, clock::get);
        try {
            rooted.policy(() -> SourcePolicy.DEFAULT.withClientFiles(true).withMediaRoot(root));
            assertThatThrownBy(() -> rooted.read("s", link.toString(), 0))
                    .isInstanceOfSatisfying(TaskException.class, e -> assertThat(e.code()).isEqualTo(Code.PERMISSION_DENIED));
            assertThatThrownBy(() -> rooted.read("s", root + "/../copy.avi", 0))
                    .isInstanceOfSatisfying(TaskException.class, e -> assertThat(e.code()).isEqualTo(Code.PERMISSION_DENIED));
            assertThatThrownBy(() -> rooted.read("s", link.toString(), 0))
                    .as("the refusal does not say where the link leads").hasMessageNotContaining(outside.toString());
            assertThatThrownBy(() -> rooted.read("s", "concat:" + outside, 0))
                    .isInstanceOfSatisfying(TaskException.class, e -> assertThat(e.code()).isEqualTo(Code.BAD_REQUEST));
        } finally {
            rooted.close();
        }
        // media roots alone are for managed streams: clients read under them only when the policy grants it
        FileFrameReader ungranted = new FileFrameReader(FileFrameConfig.DEFAULT, decoder, clock::get);
        try {
            ungranted.policy(() -> SourcePolicy.DEFAULT.withMediaRoot(Path.of(vtest).getParent()));
            assertThatThrownBy(() -> ungranted.read("s", vtest, 0))
                    .isInstanceOfSatisfying(TaskException.class, e -> assertThat(e.code()).isEqualTo(Code.PERMISSION_DENIED))
                    .hasMessageContaining("--client-files");
            assertThat(ungranted.open()).isZero();
        } finally {
            ungranted.close();
        }
        // an agent that has not joined a cluster (no policy yet) reads nothing
        FileFrameReader unjoined = new FileFrameReader(FileFrameConfig.DEFAULT, decoder, clock::get);
        try {
            assertThatThrownBy(() -> unjoined.read("s", vtest, 0))
                    .isInstanceOfSatisfying(TaskException.class, e -> assertThat(e.code()).isEqualTo(Code.PERMISSION_DENIED));
        } finally {
            unjoined.close();
        }
        assertThat(decoder.liveFrames()).isZero();
    }

    @Test
    void badRequestsAreTypedErrors() {
        assertThatThrownBy(() -> reader.read("s", vtest, 795))
                .isInstanceOfSatisfying(TaskException.class, e -> assertThat(e.code()).isEqualTo(Code.BAD_REQUEST))
                .hasMessageContaining("past the end");
        assertThatThrownBy(() -> reader.read("s", vtest, -1))
                .isInstanceOfSatisfying(TaskException.class, e -> assertThat(e.code()).isEqualTo(Code.BAD_REQUEST));
        assertThatThrownBy(() -> reader.read("s", "", 0))
                .isInstanceOfSatisfying(TaskException.class, e -> assertThat(e.code()).isEqualTo(Code.BAD_REQUEST));
        String notVideo = TestAssets.file("README.md").toAbsolutePath().toString();
        FileFrameReader any = new FileFrameReader(FileFrameConfig.DEFAULT, decoder, clock::get);
        try {
            any.policy(() -> SourcePolicy.DEFAULT.withClientFiles(true).withMediaRoot(TestAssets.root()));
            assertThatThrownBy(() -> any.read("s", notVideo, 0))
                    .isInstanceOfSatisfying(TaskException.class, e -> assertThat(e.code()).isEqualTo(Code.IMAGE_DECODE_FAILED));
        } finally {
            any.close();
        }
    }

    /**
     * What a hostile review found the first version opened (2026-12-07): URLs, names FFmpeg expands
     * (an image-sequence pattern through a link out of the root, a playlist naming a file outside
     * it), a FIFO that blocked FFmpeg's open for ever, and pictures over the limits decoded and kept
     * before being refused. Each is now a typed refusal, before anything is decoded or kept open.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void namesThatAreNotRecordingsUnderTheRootsAreRefusedBeforeAnythingIsDecoded(@TempDir Path tmp) throws Exception {
        Path root = Files.createDirectories(tmp.resolve("root"));
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Path picture = Files.copy(TestAssets.file("images/stitch/Blender_Suzanne1.jpg"),
                outside.resolve("x.jpg"));
        Path outsideClip = Files.copy(TestAssets.vtest(), outside.resolve("clip.avi"));
        Files.createSymbolicLink(root.resolve("d1"), outside);
        // a folder literally named d%d: image2 would read d1/x.jpg, outside the root, for it
        Files.copy(picture, Files.createDirectories(root.resolve("d%d")).resolve("x.jpg"));
        Path playlist = Files.writeString(root.resolve("list.m3u8"), "#EXTM3U\n#EXT-X-TARGETDURATION:80\n#EXTINF:80,\nfile://"
                + outsideClip + "\n#EXT-X-ENDLIST\n");
        Path fifo = root.resolve("pipe.avi");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        FileFrameReader rooted = new FileFrameReader(FileFrameConfig.DEFAULT, decoder, clock::get);
        try {
            rooted.policy(() -> SourcePolicy.DEFAULT.withClientFiles(true).withMediaRoot(root));
            assertThatThrownBy(() -> rooted.read("s", "http://127.0.0.1:9/clip.avi", 0))
                    .isInstanceOfSatisfying(TaskException.class, e -> assertThat(e.code()).isEqualTo(Code.BAD_REQUEST));
            assertThatThrownBy(() -> rooted.read("s", root + "/clip\0.avi", 0))
                    .isInstanceOfSatisfying(TaskException.class, e -> assertThat(e.code()).isEqualTo(Code.BAD_REQUEST));
            assertThatThrownBy(() -> rooted.read("s", root + "/d%d/x.jpg", 0))
                    .isInstanceOfSatisfying(TaskException.class, e -> assertThat(e.code()).isEqualTo(Code.IMAGE_DECODE_FAILED));
            assertThatThrownBy(() -> rooted.read("s", playlist.toString(), 0))
                    .isInstanceOfSatisfying(TaskException.class, e -> assertThat(e.code()).isEqualTo(Code.IMAGE_DECODE_FAILED));
            assertThatThrownBy(() -> rooted.read("s", fifo.toString(), 0))
                    .isInstanceOfSatisfying(TaskException.class, e -> assertThat(e.code()).isEqualTo(Code.BAD_REQUEST))
                    .hasMessageContaining("not a regular file");
            assertThatThrownBy(() -> rooted.read("s", root + "/missing.avi", 0))
                    .isInstanceOfSatisfying(TaskException.class, e -> assertThat(e.code()).isEqualTo(Code.IMAGE_DECODE_FAILED))
                    .hasMessageContaining("no such file");
            assertThat(rooted.open()).as("a refused name holds no reader").isZero();
        } finally {
            rooted.close();
        }
        // a picture over the agent's limits is refused when the file opens, before a frame is decoded
        try (ImageDecoder small = new ImageDecoder(new ImageLimits(640L * 480, 16_384))) {
            FileFrameReader limited = new FileFrameReader(FileFrameConfig.DEFAULT, small, clock::get);
            try {
                limited.policy(() -> SourcePolicy.DEFAULT.withClientFiles(true).withMediaRoot(Path.of(vtest).getParent()));
                assertThatThrownBy(() -> limited.read("s", vtest, 0))
                        .isInstanceOfSatisfying(TaskException.class, e -> assertThat(e.code()).isEqualTo(Code.TOO_LARGE));
                assertThat(limited.open()).isZero();
            } finally {
                limited.close();
            }
            assertThat(small.liveFrames()).isZero();
        }
        assertThat(decoder.liveFrames()).isZero();
    }

    /** From a review of the hardening (2026-12-07): what a refusal costs others, and what it tells. */
    @Test
    void aRefusalTakesNoReaderSaysNothingOfFilesOutsideAndThePolicyIsReadOncePerSecond(@TempDir Path tmp)
            throws Exception {
        Path root = Files.createDirectories(tmp.resolve("root"));
        Path clip = Files.copy(TestAssets.vtest(), root.resolve("clip.avi"));
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), "not for clients");
        Files.createSymbolicLink(root.resolve("out"), outside);
        AtomicLong reads = new AtomicLong();
        java.util.concurrent.atomic.AtomicReference<SourcePolicy> stored = new java.util.concurrent.atomic.AtomicReference<>(
                SourcePolicy.DEFAULT.withClientFiles(true).withMediaRoot(root));
        FileFrameReader one = new FileFrameReader(new FileFrameConfig(1, 60_000), decoder, clock::get);
        try {
            one.policy(() -> {
                reads.incrementAndGet();
                return stored.get();
            });
            for (int i = 0; i < 10; i++) {
                pixels(one.read("a", clip.toString(), i));
            }
            assertThat(reads.get()).as("ZooKeeper reads for 10 frames within a second").isEqualTo(1);
            // refused names of another stream: a's reader stays
            assertThatThrownBy(() -> one.read("b", root + "/missing.avi", 0))
                    .isInstanceOfSatisfying(TaskException.class, e -> assertThat(e.code()).isEqualTo(Code.IMAGE_DECODE_FAILED));
            assertThatThrownBy(() -> one.read("b", root + "/out/secret.txt", 0))
                    .isInstanceOfSatisfying(TaskException.class, e -> assertThat(e.code()).isEqualTo(Code.PERMISSION_DENIED));
            assertThat(one.open()).as("a's reader kept").isEqualTo(1);
            // a missing file through a link out of the root: refused like an existing one
            assertThatThrownBy(() -> one.read("b", root + "/out/nothing.txt", 0))
                    .isInstanceOfSatisfying(TaskException.class, e -> assertThat(e.code()).isEqualTo(Code.PERMISSION_DENIED));
            // the grant withdrawn: within POLICY_REFRESH_MS, the open reader too is refused
            stored.set(SourcePolicy.DEFAULT.withMediaRoot(root));
            clock.addAndGet(FileFrameReader.POLICY_REFRESH_MS);
            assertThatThrownBy(() -> one.read("a", clip.toString(), 10))
                    .isInstanceOfSatisfying(TaskException.class, e -> assertThat(e.code()).isEqualTo(Code.PERMISSION_DENIED));
            assertThat(reads.get()).isEqualTo(2);
        } finally {
            one.close();
        }
    }

    @Test
    void openFilesAreBoundedAndIdleOnesClosed() throws Exception {
        FileFrameReader two = new FileFrameReader(new FileFrameConfig(2, 5_000), decoder, clock::get);
        try {
            two.policy(() -> SourcePolicy.DEFAULT.withClientFiles(true).withMediaRoot(Path.of(vtest).getParent()));
            VideoFrame f5 = decodedByClient(vtest, 5, 1).get(0);
            for (String stream : List.of("a", "b", "c")) {
                for (int i = 0; i <= 5; i++) {
                    pixels(two.read(stream, vtest, i));
                }
                assertThat(two.open()).isLessThanOrEqualTo(2);
            }
            // "a" was closed for "c": its next frame is read again from a new reader, by a seek
            assertThat(pixels(two.read("a", vtest, 5))).isEqualTo(f5.bgr());
            clock.addAndGet(5_000);
            pixels(two.read("b", vtest, 6));
            assertThat(two.open()).as("the idle ones closed").isEqualTo(1);
        } finally {
            two.close();
        }
    }
}
