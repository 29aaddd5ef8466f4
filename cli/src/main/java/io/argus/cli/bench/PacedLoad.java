package io.argus.cli.bench;

import io.argus.client.FrameEncoder;
import io.argus.media.VideoFrame;
import io.argus.protocol.Envelopes;
import io.argus.protocol.v1.Image;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One stream's load loop for {@code argus bench}, the same for the cluster and the in-process run:
 * the decoded frames in turn (from the stream's own offset), each stamped with its capture time,
 * encoded, and handed to a {@link FrameSink}, either at a fixed rate (open loop) or back to back
 * ({@code rate} 0: closed loop, the sink blocks while the window is full). The pacing clock starts
 * when the loop is created.
 */
public final class PacedLoad {
    /** Where each encoded frame goes; {@code ctx[0]} is its encode time in microseconds. */
    @FunctionalInterface
    public interface FrameSink {
        void accept(long k, long captureUs, Image img, long[] ctx) throws InterruptedException;
    }

    private final long period;
    private long next;

    public PacedLoad(double rate) {
        this.period = rate > 0 ? (long) (1e9 / rate) : 0;
        this.next = System.nanoTime();
    }

    /** True for the open loop: a frame that finds no room is dropped by the sink, not waited for. */
    public boolean paced() {
        return period > 0;
    }

    /** Sends frames until {@code end} ({@link System#nanoTime()}). */
    public void run(List<VideoFrame> frames, int offset, FrameEncoder enc, long end, FrameSink sink)
            throws InterruptedException {
        for (long k = 0; System.nanoTime() < end; k++) {
            if (period > 0) {
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                next += period;
            }
            VideoFrame f = frames.get((int) ((k + offset) % frames.size()));
            long captureUs = Envelopes.nowMicros();
            long t0 = System.nanoTime();
            Image img = enc.encode(f);
            long[] ctx = {(System.nanoTime() - t0) / 1_000};
            sink.accept(k, captureUs, img, ctx);
        }
    }
}
