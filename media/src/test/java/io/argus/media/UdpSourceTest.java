package io.argus.media;

import io.argus.testing.TestAssets;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * A live UDP source (MPEG-TS, as a camera gateway or {@code ffmpeg -f mpegts udp://...} sends it)
 * whose sender stops: reading fails instead of blocking for ever, so the stream is reported as
 * retrying and reconnects. The stream is vtest.avi encoded by FFmpeg to MPEG-TS, sent from this JVM
 * in 1316-byte datagrams at about its own rate. Before the fix, {@code next()} stayed in FFmpeg's UDP wait (seen in the 30-minute
 * demo run: a stopped source never said so).
 */
class UdpSourceTest {
    /** How long reading may take to notice the silence: the network timeout plus FFmpeg's retries, with room for a loaded machine. */
    static final Duration NOTICED_WITHIN = Duration.ofSeconds(40);

    @Test
    void aUdpSourceWhoseSenderStopsFailsInsteadOfBlocking(@TempDir Path dir) throws Exception {
        byte[] ts = transportStream(dir.resolve("vtest.ts"), 100);
        int port;
        try (DatagramSocket s = new DatagramSocket(0)) {
            port = s.getLocalPort();
        }
        AtomicBoolean sending = new AtomicBoolean(true);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread sender = new Thread(() -> send(ts, port, sending, stopped), "udp-sender");
        sender.setDaemon(true);
        sender.start();
        try (FrameSource src = Sources.open("udp://127.0.0.1:" + port, false)) {
            assertThat(src.live()).isTrue();
            for (int i = 0; i < 10; i++) {
                assertThat(src.next()).as("frame %d while the sender sends", i).isNotNull();
            }
            sending.set(false);
            assertThat(stopped.await(10, TimeUnit.SECONDS)).isTrue();
            assertTimeoutPreemptively(NOTICED_WITHIN, () -> assertThatThrownBy(() -> {
                while (src.next() != null) {
                    // frames still in FFmpeg's receive buffer
                }
                throw new IOException("ended"); // an end is as good as an error: the caller reconnects
            }).isInstanceOf(IOException.class));
        } finally {
            sending.set(false);
        }
    }

    /** The first {@code frames} of vtest.avi as MPEG-TS (MPEG-4 video), FFmpeg's own encoding. */
    static byte[] transportStream(Path file, int frames) throws Exception {
        try (FFmpegFrameGrabber in = new FFmpegFrameGrabber(TestAssets.vtest().toString())) {
            in.start();
            try (FFmpegFrameRecorder out = new FFmpegFrameRecorder(file.toString(), in.getImageWidth(), in.getImageHeight(), 0)) {
                out.setFormat("mpegts");
                out.setVideoCodec(avcodec.AV_CODEC_ID_MPEG4);
                out.setFrameRate(in.getFrameRate());
                out.setGopSize(10);
                out.setVideoQuality(5);
                out.start();
                Frame f;
                for (int i = 0; i < frames && (f = in.grabImage()) != null; i++) {
                    out.record(f);
                }
                out.stop();
            }
            in.stop();
        }
        return Files.readAllBytes(file);
    }

    /** Sends the stream in 7-packet datagrams (1316 bytes, as cameras and FFmpeg do), looping, about 10 s per pass, until told to stop. */
    static void send(byte[] ts, int port, AtomicBoolean sending, CountDownLatch stopped) {
        int chunk = 1316;
        int chunks = (ts.length + chunk - 1) / chunk;
        long pauseNs = 10_000_000_000L / chunks;
        try (DatagramSocket s = new DatagramSocket()) {
            InetSocketAddress to = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
            while (sending.get()) {
                for (int off = 0; off < ts.length && sending.get(); off += chunk) {
                    s.send(new DatagramPacket(ts, off, Math.min(chunk, ts.length - off), to));
                    Thread.sleep(pauseNs / 1_000_000, (int) (pauseNs % 1_000_000));
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            stopped.countDown();
        }
    }
}
