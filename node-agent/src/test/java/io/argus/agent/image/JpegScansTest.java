package io.argus.agent.image;

import io.argus.media.image.OpenCv;
import com.google.protobuf.ByteString;
import io.argus.protocol.v1.Code;
import io.argus.protocol.v1.Encoding;
import io.argus.protocol.v1.Image;
import io.argus.task.api.TaskException;
import io.argus.task.image.ImageLimits;
import io.argus.task.image.JpegScans;
import io.argus.testing.TestAssets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.imgcodecs.Imgcodecs;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** The progressive-scan bomb of the probe, rebuilt from a real photograph. */
public class JpegScansTest {
    static byte[] baseline;
    static byte[] progressive;
    static byte[] tinyProgressive;

    @BeforeAll
    static void load() throws Exception {
        OpenCv.load();
        baseline = Files.readAllBytes(TestAssets.file("images/faces/messi5.jpg"));
        Mat m = Imgcodecs.imdecode(new MatOfByte(baseline), Imgcodecs.IMREAD_COLOR);
        MatOfByte out = new MatOfByte();
        Imgcodecs.imencode(".jpg", m, out, new MatOfInt(Imgcodecs.IMWRITE_JPEG_PROGRESSIVE, 1));
        progressive = out.toArray();
        Mat tiny = m.submat(0, 16, 0, 16).clone();
        Imgcodecs.imencode(".jpg", tiny, out, new MatOfInt(Imgcodecs.IMWRITE_JPEG_PROGRESSIVE, 1));
        tinyProgressive = out.toArray();
        tiny.release();
        m.release();
        out.release();
    }

    @Test
    void realFilesHaveTheScansTheirEncoderWrote() throws Exception {
        assertThat(JpegScans.count(ByteString.copyFrom(baseline), 1000)).isEqualTo(1);
        int scans = JpegScans.count(ByteString.copyFrom(progressive), 1000);
        assertThat(scans).as("libjpeg's default progressive script").isBetween(6, 20);
        ImageDecoder d = new ImageDecoder(ImageLimits.DEFAULT);
        d.release(d.decode(jpeg(progressive))); // and it still decodes
    }

    @Test
    void aScanRepeatedThousandsOfTimesIsRefusedBeforeDecoding() throws Exception {
        byte[] bomb = repeatLastScan(tinyProgressive, 200_000); // a few MB, as the probe's 12.7 MB
        assertThat(JpegScans.count(ByteString.copyFrom(bomb), Integer.MAX_VALUE)).isGreaterThan(200_000);
        ImageDecoder d = new ImageDecoder(ImageLimits.DEFAULT);
        // the old decoder spent 430-477 s on the probe's 200,000 scans; refusing reads the bytes once
        assertTimeoutPreemptively(Duration.ofSeconds(30), () ->
                assertThatThrownBy(() -> d.decode(jpeg(bomb))).isInstanceOfSatisfying(TaskException.class, e -> {
                    assertThat(e.code()).isEqualTo(Code.TOO_LARGE);
                    assertThat(e.getMessage()).contains("DEFAULT_MAX_SCANS");
                }));
        // the bound, exactly: at the limit it decodes, one more is refused
        int own = JpegScans.count(ByteString.copyFrom(progressive), 1000);
        byte[] atLimit = repeatLastScan(progressive, JpegScans.DEFAULT_MAX_SCANS - own);
        assertThat(JpegScans.count(ByteString.copyFrom(atLimit), 1000)).isEqualTo(JpegScans.DEFAULT_MAX_SCANS);
        byte[] over = repeatLastScan(progressive, JpegScans.DEFAULT_MAX_SCANS - own + 1);
        assertThatThrownBy(() -> d.decode(jpeg(over))).isInstanceOfSatisfying(TaskException.class,
                e -> assertThat(e.code()).isEqualTo(Code.TOO_LARGE));
        try {
            d.release(d.decode(jpeg(atLimit)));
        } catch (TaskException e) {
            assertThat(e.code()).as("at the limit it is the decoder's to judge").isNotEqualTo(Code.TOO_LARGE);
        }
    }

    /** The file with its last scan (SOS to EOI) appended {@code extra} more times. */
    public static byte[] repeatLastScan(byte[] jpeg, int extra) {
        int eoi = jpeg.length - 2;
        int sos = -1;
        for (int i = 2; i + 1 < eoi; i++) {
            if ((jpeg[i] & 0xff) == 0xFF && (jpeg[i + 1] & 0xff) == 0xDA) {
                sos = i; // the last SOS: entropy-coded data stuffs every 0xFF, so this is a marker
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, eoi);
        for (int k = 0; k < extra; k++) {
            out.write(jpeg, sos, eoi - sos);
        }
        out.write(jpeg, eoi, 2);
        return out.toByteArray();
    }

    static Image jpeg(byte[] data) {
        return Image.newBuilder().setEncoding(Encoding.JPEG).setData(ByteString.copyFrom(data)).build();
    }
}
