package io.argus.cli.bench;

import io.argus.client.ArgusClient;
import io.argus.client.FrameEncoder;
import io.argus.client.StreamSession;
import io.argus.client.StreamSpec;
import io.argus.media.VideoFrame;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@code argus bench} through the cluster: one {@link StreamSession} per stream, fed by a
 * {@link PacedLoad}; an open loop offers each frame (dropped when the window is full, as a live
 * camera would), a closed loop submits it (waiting for room).
 */
public final class ClusterLoad {
    private ClusterLoad() {
    }

    /** Runs the plan on {@code client} and returns once every stream has drained. */
    public static void run(ArgusClient client, LoadPlan plan, List<VideoFrame> frames, FrameEncoder enc,
                           StageRecorder recorder) throws Exception {
        long end = plan.start(recorder);
        List<CompletableFuture<Void>> pumps = new ArrayList<>();
        for (int s = 0; s < plan.streams(); s++) {
            int offset = s * LoadPlan.STREAM_OFFSET;
            StreamSpec spec = StreamSpec.builder("bench-" + s).window(plan.window()).tasks(plan.taskRequests()).build();
            pumps.add(CompletableFuture.runAsync(() -> pump(client, spec, plan.rate(), frames, offset, enc, end,
                    recorder)));
        }
        plan.await(pumps);
    }

    private static void pump(ArgusClient client, StreamSpec spec, double rate, List<VideoFrame> frames, int offset,
                             FrameEncoder enc, long end, StageRecorder recorder) {
        PacedLoad load = new PacedLoad(rate);
        try (StreamSession s = client.open(spec, recorder::record)) {
            load.run(frames, offset, enc, end, (k, captureUs, img, ctx) -> {
                if (load.paced()) {
                    if (s.offer(k, captureUs, 0, img, ctx)) {
                        recorder.sent();
                    } else {
                        recorder.dropped(captureUs);
                    }
                } else {
                    s.submit(k, captureUs, img, ctx);
                    recorder.sent();
                }
            });
            s.drain(Duration.ofSeconds(60));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
