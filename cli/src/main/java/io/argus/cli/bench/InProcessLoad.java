package io.argus.cli.bench;

import io.argus.agent.AgentConfig;
import io.argus.agent.embedded.InProcessPipeline;
import io.argus.agent.exec.LaneJob;
import io.argus.client.FrameEncoder;
import io.argus.client.StreamResult;
import io.argus.media.VideoFrame;
import io.argus.protocol.Envelopes;
import io.argus.protocol.v1.Code;
import io.argus.protocol.v1.FrameRequest;
import io.argus.protocol.v1.FrameResult;
import io.argus.protocol.v1.TaskRequest;
import io.argus.task.api.TaskException;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

/**
 * {@code argus bench --in-process}, the baseline of the cluster hop: the same frames, encoded the
 * same way, through the same tasks, decoder and ordered worker lanes ({@code workers} of them) as
 * an agent would run, called in this JVM without network, protocol or client library. A semaphore
 * of {@code window} permits per stream stands in for the client's window.
 */
public final class InProcessLoad {
    private InProcessLoad() {
    }

    /** Runs the plan and returns once every stream's last answers are in. */
    public static void run(LoadPlan plan, int workers, List<VideoFrame> frames, FrameEncoder enc,
                           StageRecorder recorder) throws Exception {
        try (InProcessPipeline local = InProcessPipeline.create(
                AgentConfig.builder().agentId("in-process").workers(workers).build())) {
            long end = plan.start(recorder);
            List<TaskRequest> taskRequests = plan.taskRequests();
            List<CompletableFuture<Void>> pumps = new ArrayList<>();
            for (int s = 0; s < plan.streams(); s++) {
                int offset = s * LoadPlan.STREAM_OFFSET;
                String stream = "bench-" + s;
                pumps.add(CompletableFuture.runAsync(() -> pump(local, stream, taskRequests, plan, frames, offset,
                        enc, end, recorder)));
            }
            plan.await(pumps);
        }
    }

    private static void pump(InProcessPipeline local, String stream, List<TaskRequest> taskRequests, LoadPlan plan,
                             List<VideoFrame> frames, int offset, FrameEncoder enc, long end, StageRecorder recorder) {
        Semaphore inFlight = new Semaphore(plan.window());
        PacedLoad load = new PacedLoad(plan.rate());
        try {
            load.run(frames, offset, enc, end, (k, captureUs, img, ctx) -> {
                if (load.paced()) {
                    if (!inFlight.tryAcquire()) {
                        recorder.dropped(captureUs);
                        return;
                    }
                } else {
                    inFlight.acquire();
                }
                FrameRequest req = FrameRequest.newBuilder().setStreamId(stream)
                        .setSequence(k).setSourceIndex(k).setCaptureTimeUs(captureUs).setImage(img)
                        .addAllTasks(taskRequests).build();
                long received = System.nanoTime();
                recorder.sent();
                String refusal = local.lanes().submit(stream, new LaneJob() {
                    @Override
                    public void run() {
                        try {
                            FrameResult r = local.pipeline().process(req, received);
                            recorder.record(new StreamResult(stream, req.getSourceIndex(), r, Code.OK, "",
                                    "in-process", captureUs, Envelopes.nowMicros() - captureUs, 1, ctx));
                        } catch (TaskException e) {
                            recorder.record(new StreamResult(stream, req.getSourceIndex(), null, e.code(), e.getMessage(),
                                    "in-process", captureUs, Envelopes.nowMicros() - captureUs, 1, ctx));
                        } finally {
                            inFlight.release();
                        }
                    }

                    @Override
                    public void abort(Code code, String reason) {
                        recorder.record(new StreamResult(stream, req.getSourceIndex(), null, code, reason, "in-process",
                                captureUs, Envelopes.nowMicros() - captureUs, 1, ctx));
                        inFlight.release();
                    }
                });
                if (refusal != null) {
                    inFlight.release();
                    recorder.error();
                }
            });
            inFlight.acquire(plan.window()); // the last answers
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
