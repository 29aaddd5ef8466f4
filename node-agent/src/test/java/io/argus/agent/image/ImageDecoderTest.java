package io.argus.agent.image;

import io.argus.media.image.OpenCv;
import com.google.protobuf.ByteString;
import io.argus.protocol.v1.Code;
import io.argus.protocol.v1.Encoding;
import io.argus.protocol.v1.Image;
import io.argus.task.api.TaskException;
import io.argus.task.image.ImageHeader;
import io.argus.task.image.ImageLimits;
import io.argus.testing.TestAssets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class ImageDecoderTest {
    private final ImageDecoder decoder = new ImageDecoder(ImageLimits.DEFAULT);

    @BeforeAll
    static void load() {
        OpenCv.load();
    }

    static byte[] encode(String ext, int w, int h) {
        Mat m = new Mat(h, w, CvType.CV_8UC3, new Scalar(10, 200, 30));
        MatOfByte buf = new MatOfByte();
        try {
            Imgcodecs.imencode(ext, m, buf);
            return buf.toArray();
        } finally {
            m.release();
            buf.release();
        }
    }

    private static Image jpeg(byte[] data) {
        return Image.newBuilder().setEncoding(Encoding.JPEG).setData(ByteString.copyFrom(data)).build();
    }

    private static Code codeOf(Image img, ImageDecoder d) {
        try {
            d.decode(img).release();
            return Code.OK;
        } catch (TaskException e) {
            return e.code();
        }
    }

    @Test
    void headersOfRealFilesGiveTheirSize() throws Exception {
        byte[] jpg = Files.readAllBytes(TestAssets.file("images/faces/messi5.jpg"));
        assertThat(ImageHeader.probe(jpg)).isEqualTo(new ImageHeader("jpeg", 548, 342));
        byte[] png = Files.readAllBytes(TestAssets.file("images/stitch/graf1.png"));
        assertThat(ImageHeader.probe(png)).isEqualTo(new ImageHeader("png", 800, 640));
        assertThat(ImageHeader.probe("hello world, not an image".getBytes(StandardCharsets.UTF_8))).isNull();
    }

    @Test
    void decodesJpegPngAndRaw() throws Exception {
        Mat a = decoder.decode(jpeg(encode(".jpg", 64, 48)));
        assertThat(a.cols()).isEqualTo(64);
        assertThat(a.rows()).isEqualTo(48);
        a.release();
        Mat b = decoder.decode(Image.newBuilder().setEncoding(Encoding.PNG)
                .setData(ByteString.copyFrom(encode(".png", 33, 17))).setWidth(33).setHeight(17).build());
        assertThat(b.size().width).isEqualTo(33);
        b.release();
        byte[] raw = new byte[4 * 3 * 3];
        Mat c = decoder.decode(Image.newBuilder().setEncoding(Encoding.RAW_BGR)
                .setData(ByteString.copyFrom(raw)).setWidth(4).setHeight(3).build());
        assertThat(c.channels()).isEqualTo(3);
        c.release();
    }

    @Test
    void corruptJpegIsADecodeFailure() {
        byte[] good = encode(".jpg", 320, 240);
        byte[] corrupt = Arrays.copyOf(good, good.length);
        // keep the header (so the size check passes), destroy the entropy-coded data and markers
        for (int i = 200; i < corrupt.length; i++) {
            corrupt[i] = (byte) 0xFF;
        }
        Code c = codeOf(jpeg(corrupt), decoder);
        // libjpeg may recover garbage from a damaged scan; it must never be anything but a typed outcome
        assertThat(c).isIn(Code.IMAGE_DECODE_FAILED, Code.OK);
        assertThat(codeOf(jpeg(new byte[]{(byte) 0xFF, (byte) 0xD8, 1, 2, 3}), decoder)).isEqualTo(Code.IMAGE_DECODE_FAILED);
        assertThat(codeOf(jpeg("GIF89a....".getBytes(StandardCharsets.UTF_8)), decoder)).isEqualTo(Code.IMAGE_DECODE_FAILED);
    }

    @Test
    void decompressionBombsAreRefusedFromTheHeader() {
        // PNG: valid signature and an IHDR claiming 60000 x 60000 (3.6 gigapixels), no pixel data
        byte[] png = encode(".png", 8, 8);
        putU32(png, 16, 60000);
        putU32(png, 20, 60000);
        assertThat(codeOf(Image.newBuilder().setEncoding(Encoding.PNG).setData(ByteString.copyFrom(png)).build(),
                decoder)).isEqualTo(Code.TOO_LARGE);
        // JPEG: SOF0 claiming 65000 x 65000
        byte[] jpg = encode(".jpg", 8, 8);
        int sof = indexOfSof(jpg);
        jpg[sof + 5] = (byte) 0xFD;
        jpg[sof + 6] = (byte) 0xE8;
        jpg[sof + 7] = (byte) 0xFD;
        jpg[sof + 8] = (byte) 0xE8;
        assertThat(ImageHeader.probe(jpg).width()).isEqualTo(65000);
        assertThat(codeOf(jpeg(jpg), decoder)).isEqualTo(Code.TOO_LARGE);
        // zero size
        putU32(png, 16, 0);
        assertThat(codeOf(Image.newBuilder().setEncoding(Encoding.PNG).setData(ByteString.copyFrom(png)).build(),
                decoder)).isEqualTo(Code.BAD_REQUEST);
        // a raw frame that claims more than the limit is refused before its size is even checked
        assertThat(codeOf(Image.newBuilder().setEncoding(Encoding.RAW_BGR).setData(ByteString.copyFrom(new byte[30]))
                .setWidth(60000).setHeight(60000).build(), decoder)).isEqualTo(Code.TOO_LARGE);
        // the limit is configurable
        ImageDecoder small = new ImageDecoder(new ImageLimits(100 * 100, 1000));
        assertThat(codeOf(jpeg(encode(".jpg", 101, 100)), small)).isEqualTo(Code.TOO_LARGE);
        assertThat(codeOf(jpeg(encode(".jpg", 100, 100)), small)).isEqualTo(Code.OK);
    }

    @Test
    void mismatchesAreBadRequests() {
        assertThat(codeOf(Image.newBuilder().setEncoding(Encoding.RAW_BGR).setData(ByteString.copyFrom(new byte[10]))
                .setWidth(4).setHeight(3).build(), decoder)).isEqualTo(Code.BAD_REQUEST);
        assertThat(codeOf(Image.newBuilder().setEncoding(Encoding.JPEG).setData(ByteString.copyFrom(encode(".jpg", 40, 30)))
                .setWidth(41).setHeight(30).build(), decoder)).isEqualTo(Code.BAD_REQUEST);
        assertThat(codeOf(Image.newBuilder().setEncoding(Encoding.PNG).setData(ByteString.copyFrom(encode(".jpg", 40, 30)))
                .build(), decoder)).isEqualTo(Code.BAD_REQUEST);
        assertThat(codeOf(Image.newBuilder().setEncoding(Encoding.JPEG).build(), decoder)).isEqualTo(Code.BAD_REQUEST);
    }

    private static void putU32(byte[] d, int off, long v) {
        d[off] = (byte) (v >>> 24);
        d[off + 1] = (byte) (v >>> 16);
        d[off + 2] = (byte) (v >>> 8);
        d[off + 3] = (byte) v;
    }

    private static int indexOfSof(byte[] d) {
        for (int i = 0; i < d.length - 1; i++) {
            if ((d[i] & 0xff) == 0xFF && (d[i + 1] & 0xff) == 0xC0) {
                return i;
            }
        }
        throw new IllegalStateException("no SOF0");
    }

    // ---------------------------------------------------------------- FFmpeg's JPEG path

    private static Mat opencv(byte[] jpeg) {
        MatOfByte buf = new MatOfByte(jpeg);
        try {
            return Imgcodecs.imdecode(buf, Imgcodecs.IMREAD_COLOR);
        } finally {
            buf.release();
        }
    }

    private static byte[] imencode(Mat m, int... params) {
        MatOfByte out = new MatOfByte();
        MatOfInt p = new MatOfInt(params);
        try {
            Imgcodecs.imencode(".jpg", m, out, p);
            return out.toArray();
        } finally {
            out.release();
            p.release();
        }
    }

    @Test
    void realPhotosDecodeAsOpenCvDecodesThemInEveryChromaLayout() throws Exception {
        Mat photo = opencv(Files.readAllBytes(TestAssets.file("images/faces/messi5.jpg")));
        try {
            // 4:2:0 (the default), 4:4:4 and 4:2:2 sampling, progressive too: FFmpeg decodes them all
            int[][] variants = {
                    {Imgcodecs.IMWRITE_JPEG_QUALITY, 85},
                    {Imgcodecs.IMWRITE_JPEG_QUALITY, 85, Imgcodecs.IMWRITE_JPEG_SAMPLING_FACTOR, Imgcodecs.IMWRITE_JPEG_SAMPLING_FACTOR_444},
                    {Imgcodecs.IMWRITE_JPEG_QUALITY, 85, Imgcodecs.IMWRITE_JPEG_SAMPLING_FACTOR, Imgcodecs.IMWRITE_JPEG_SAMPLING_FACTOR_422},
                    {Imgcodecs.IMWRITE_JPEG_QUALITY, 60, Imgcodecs.IMWRITE_JPEG_PROGRESSIVE, 1}};
            long before = decoder.decodedByFfmpeg();
            for (int[] v : variants) {
                byte[] jpeg = imencode(photo, v);
                Mat reference = opencv(jpeg);
                Mat ours = decoder.decode(jpeg(jpeg));
                try {
                    assertThat(ours.size()).isEqualTo(reference.size());
                    assertThat(ours.type()).isEqualTo(CvType.CV_8UC3);
                    // the two decoders upsample chroma a little differently; 40 dB is far below
                    // what a wrong colour order, range or plane (under 20 dB) would give
                    assertThat(Core.PSNR(ours, reference)).as("variant %s", Arrays.toString(v))
                            .isGreaterThan(40);
                } finally {
                    reference.release();
                    decoder.release(ours);
                }
            }
            assertThat(decoder.decodedByFfmpeg() - before).as("decoded by FFmpeg, not the fallback").isEqualTo(variants.length);
            // grayscale JPEGs come out as three equal channels
            Mat gray = new Mat();
            Imgproc.cvtColor(photo, gray, Imgproc.COLOR_BGR2GRAY);
            Mat ours = decoder.decode(jpeg(imencode(gray, Imgcodecs.IMWRITE_JPEG_QUALITY, 90)));
            try {
                assertThat(ours.channels()).isEqualTo(3);
                Mat back = new Mat();
                Imgproc.cvtColor(ours, back, Imgproc.COLOR_BGR2GRAY);
                assertThat(Core.PSNR(back, gray)).isGreaterThan(35);
                back.release();
            } finally {
                decoder.release(ours);
                gray.release();
            }
        } finally {
            photo.release();
        }
    }

    @Test
    void aJpegWhoseExifAsksForARotationIsTurnedAsOpenCvTurnsIt() throws Exception {
        byte[] plain = Files.readAllBytes(TestAssets.file("images/faces/messi5.jpg")); // 548x342
        // APP1: "Exif\0\0", little-endian TIFF header, one IFD entry: Orientation (0x0112) = 6 (90° clockwise)
        byte[] exif = {(byte) 0xFF, (byte) 0xE1, 0, 34, 'E', 'x', 'i', 'f', 0, 0,
                'I', 'I', 42, 0, 8, 0, 0, 0,
                1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, 6, 0, 0, 0,
                0, 0, 0, 0};
        byte[] rotated = new byte[plain.length + exif.length];
        rotated[0] = plain[0];
        rotated[1] = plain[1];
        System.arraycopy(exif, 0, rotated, 2, exif.length);
        System.arraycopy(plain, 2, rotated, 2 + exif.length, plain.length - 2);
        assertThat(ImageHeader.hasExif(ByteString.copyFrom(rotated))).isTrue();
        assertThat(ImageHeader.hasExif(ByteString.copyFrom(plain))).isFalse();
        assertThat(ImageHeader.exifOrientation(ByteString.copyFrom(rotated))).isEqualTo(6);
        assertThat(ImageHeader.exifOrientation(ByteString.copyFrom(plain))).isEqualTo(1);
        long before = decoder.decodedByFfmpeg();
        Mat m = decoder.decode(jpeg(rotated));
        try {
            assertThat(decoder.decodedByFfmpeg()).as("Exif goes to OpenCV").isEqualTo(before);
            assertThat(m.cols()).isEqualTo(342);
            assertThat(m.rows()).isEqualTo(548);
        } finally {
            decoder.release(m);
        }
    }

    /** The APP1 segment above, with its TIFF header in the given byte order and the given orientation. */
    private static byte[] withExif(byte[] plain, boolean bigEndian, int orientation, int truncateTo) {
        byte[] exif = bigEndian
                ? new byte[]{(byte) 0xFF, (byte) 0xE1, 0, 34, 'E', 'x', 'i', 'f', 0, 0,
                'M', 'M', 0, 42, 0, 0, 0, 8,
                0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, (byte) orientation, 0, 0,
                0, 0, 0, 0}
                : new byte[]{(byte) 0xFF, (byte) 0xE1, 0, 34, 'E', 'x', 'i', 'f', 0, 0,
                'I', 'I', 42, 0, 8, 0, 0, 0,
                1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, (byte) orientation, 0, 0, 0,
                0, 0, 0, 0};
        byte[] out = new byte[plain.length + exif.length];
        out[0] = plain[0];
        out[1] = plain[1];
        System.arraycopy(exif, 0, out, 2, exif.length);
        System.arraycopy(plain, 2, out, 2 + exif.length, plain.length - 2);
        return truncateTo > 0 ? Arrays.copyOf(out, truncateTo) : out;
    }

    @Test
    void exifOrientationIsReadInEitherByteOrderAndIsOneWhenAbsentOrDamaged() throws Exception {
        byte[] plain = Files.readAllBytes(TestAssets.file("images/faces/messi5.jpg"));
        for (int o = 1; o <= 8; o++) {
            assertThat(ImageHeader.exifOrientation(ByteString.copyFrom(withExif(plain, false, o, 0)))).isEqualTo(o);
            assertThat(ImageHeader.exifOrientation(ByteString.copyFrom(withExif(plain, true, o, 0)))).isEqualTo(o);
        }
        assertThat(ImageHeader.exifOrientation(ByteString.copyFrom(withExif(plain, false, 9, 0)))).isEqualTo(1);
        for (int cut = 3; cut < 40; cut++) {
            // cut inside the Exif segment: never an exception, never a made-up rotation
            assertThat(ImageHeader.exifOrientation(ByteString.copyFrom(withExif(plain, false, 6, cut)))).isIn(1, 6);
        }
    }

    @Test
    void aCameraPhotoWhoseExifSaysUprightTakesTheFastDecoder() throws Exception {
        byte[] photo = Files.readAllBytes(TestAssets.file("images/text/scenetext02.jpg")); // Minolta Exif, orientation 1
        assertThat(ImageHeader.hasExif(ByteString.copyFrom(photo))).isTrue();
        assertThat(ImageHeader.exifOrientation(ByteString.copyFrom(photo))).isEqualTo(1);
        long before = decoder.decodedByFfmpeg();
        Mat ours = decoder.decode(jpeg(photo));
        Mat reference = Imgcodecs.imdecode(new MatOfByte(photo), Imgcodecs.IMREAD_COLOR);
        try {
            assertThat(decoder.decodedByFfmpeg()).isEqualTo(before + 1);
            assertThat(ours.size()).isEqualTo(reference.size());
            assertThat(Core.PSNR(ours, reference)).isGreaterThan(40);
        } finally {
            decoder.release(ours);
            reference.release();
        }
    }
}
