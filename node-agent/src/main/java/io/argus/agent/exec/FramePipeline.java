package io.argus.agent.exec;

import io.argus.agent.AgentConfig;
import io.argus.agent.image.FileFrameConfig;
import io.argus.agent.image.FileFrameReader;
import io.argus.agent.image.ImageDecoder;
import io.argus.media.image.NativeMemory;
import io.argus.agent.state.StreamState;
import io.argus.agent.state.StreamStateStore;
import io.argus.agent.task.FrameRefused;
import io.argus.agent.task.StatefulTask;
import io.argus.agent.task.TaskBudget.Exceeded;
import io.argus.agent.task.TaskBudget;
import io.argus.agent.task.TaskContext;
import io.argus.agent.task.TaskRegistry;
import io.argus.agent.task.VisionTask;
import io.argus.cluster.ZkPaths;
import io.argus.protocol.Envelopes;
import io.argus.protocol.v1.Code;
import io.argus.protocol.v1.Encoding;
import io.argus.protocol.v1.FrameRequest;
import io.argus.protocol.v1.FrameResult;
import io.argus.protocol.v1.StageTiming;
import io.argus.protocol.v1.TaskRequest;
import io.argus.protocol.v1.TaskResult;
import io.argus.task.api.TaskException;
import org.jspecify.annotations.Nullable;
import org.opencv.core.CvException;
import org.opencv.core.Mat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns a FrameRequest into a FrameResult: decode once, run each requested task on the same
 * frame, time every stage. A failing task gets its own status (and the others still run); a frame
 * that cannot be decoded fails as a whole with a {@link TaskException}.
 */
public final class FramePipeline implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FramePipeline.class);
    private final String agentId;
    private final TaskRegistry tasks;
    private final ImageDecoder decoder;
    /** Frames the agent reads from recordings itself (encoding FILE_FRAME). */
    private final FileFrameReader files;
    private final StreamStateStore states;
    private final AgentMetrics metrics;
    private final long taskBudgetMs;

    public FramePipeline(String agentId, TaskRegistry tasks, ImageDecoder decoder, StreamStateStore states,
                         AgentMetrics metrics) {
        this(agentId, tasks, decoder, states, metrics, AgentConfig.DEFAULT_TASK_BUDGET_MS);
    }

    /** @param taskBudgetMs processing time each task may spend on a frame ({@code AgentConfig.taskBudgetMs}); 0: none */
    public FramePipeline(String agentId, TaskRegistry tasks, ImageDecoder decoder, StreamStateStore states,
                         AgentMetrics metrics, long taskBudgetMs) {
        this.taskBudgetMs = taskBudgetMs;
        this.files = new FileFrameReader(FileFrameConfig.DEFAULT, decoder, System::currentTimeMillis);
        this.agentId = agentId;
        this.tasks = tasks;
        this.decoder = decoder;
        this.states = states;
        this.metrics = metrics;
    }

    /** The one check the event loop makes before a frame is queued: its lane is named by the stream id. */
    public static void validateStreamId(FrameRequest req) throws TaskException {
        if (!ZkPaths.isValidName(req.getStreamId())) {
            throw new TaskException(Code.BAD_REQUEST, "invalid stream id '" + req.getStreamId()
                    + "': use 1-128 of [A-Za-z0-9._-]");
        }
    }

    /**
     * True when a task of the frame keeps per-stream state: its frames are then applied strictly
     * in sequence order ({@link io.argus.agent.state.Sequencer}).
     */
    public boolean sequenced(FrameRequest req) {
        for (TaskRequest t : req.getTasksList()) {
            if (tasks.find(t.getName()).orElse(null) instanceof StatefulTask<?>) {
                return true;
            }
        }
        return false;
    }

    /**
     * Checks that need no pixels. Runs on a worker, in the stream's lane, never on the event loop:
     * task parameters (polygons, patterns) are user input whose checking costs time.
     */
    public void validate(FrameRequest req) throws TaskException {
        validateStreamId(req);
        if (req.hasImage() && req.getImage().getEncoding() == Encoding.FILE_FRAME) {
            if (req.getImage().getFile().isEmpty() || !req.getImage().getData().isEmpty()) {
                throw new TaskException(Code.BAD_REQUEST, "a FILE_FRAME image names a file and carries no data");
            }
        } else if (!req.hasImage() || req.getImage().getData().isEmpty()) {
            throw new TaskException(Code.BAD_REQUEST, "frame has no image");
        }
        if (req.getTasksCount() == 0) {
            throw new TaskException(Code.BAD_REQUEST, "frame requests no task");
        }
        if (req.getTasksCount() > 16) {
            throw new TaskException(Code.BAD_REQUEST, "frame requests " + req.getTasksCount() + " tasks (max 16)");
        }
        Set<String> seen = new HashSet<>();
        for (TaskRequest t : req.getTasksList()) {
            VisionTask task = tasks.find(t.getName()).orElseThrow(() -> new TaskException(Code.UNSUPPORTED_TASK,
                    "unknown task '" + t.getName() + "'; this agent runs " + tasks.names()));
            if (!seen.add(t.getName())) {
                throw new TaskException(Code.BAD_REQUEST, "task '" + t.getName() + "' requested twice");
            }
            task.validate(t.getParamsMap());
        }
        if (req.getImage().getWidth() > 0 && req.getImage().getHeight() > 0) {
            decoder.checkSize(req.getImage().getWidth(), req.getImage().getHeight());
        }
    }

    /** Sees the decoded frame with its result, before the frame is released (previews of managed streams). */
    public interface FrameListener {
        void processed(FrameResult result, Mat frame);
    }

    /** Decoded frames not yet released: 0 whenever the agent is idle. */
    public long liveFrames() {
        return decoder.liveFrames();
    }

    public FrameResult process(FrameRequest req, long receivedNanos) throws TaskException {
        return process(req, receivedNanos, null);
    }

    public FrameResult process(FrameRequest req, long receivedNanos, @Nullable FrameListener listener) throws TaskException {
        return process(req, receivedNanos, listener, true);
    }

    /**
     * Runs a frame the agent made up itself ({@link PipelineWarmup}): the same code path, but it
     * is not counted in the metrics and leaves no stream state behind.
     */
    FrameResult processUncounted(FrameRequest req) throws TaskException {
        try {
            return process(req, System.nanoTime(), null, false);
        } finally {
            states.drop(req.getStreamId());
        }
    }

    private FrameResult process(FrameRequest req, long receivedNanos, @Nullable FrameListener listener, boolean counted)
            throws TaskException {
        long start = System.nanoTime();
        FrameResult.Builder out = FrameResult.newBuilder()
                .setStreamId(req.getStreamId()).setSequence(req.getSequence()).setAgentId(agentId)
                .setConfigVersion(req.getConfigVersion()).setCaptureTimeUs(req.getCaptureTimeUs())
                .setSourceIndex(req.getSourceIndex());
        if (req.getCaptureTimeUs() > 0) {
            // capture to arrival here, on the wall clock: client encode and queueing plus the send.
            // Exact on one host; across hosts it includes their clock offset (keep them NTP-synced)
            long receivedWallUs = Envelopes.nowMicros() - (start - receivedNanos) / 1_000;
            out.addTimings(timing("capture_to_agent", (receivedWallUs - req.getCaptureTimeUs()) * 1_000));
        }
        out.addTimings(timing("queue", start - receivedNanos));
        boolean stateful = sequenced(req);
        if (stateful) {
            states.admit(req.getStreamId()); // before decoding: a refusal costs nothing
        }
        Mat frame;
        long mediaTimeUs = req.getMediaTimeUs();
        try {
            if (req.getImage().getEncoding() == Encoding.FILE_FRAME) {
                FileFrameReader.Decoded d = files.read(req.getStreamId(), req.getImage().getFile(), req.getSourceIndex());
                frame = decoder.adopt(d.frame());
                mediaTimeUs = d.mediaTimeUs();
            } else {
                frame = decoder.decode(req.getImage());
            }
        } catch (OutOfMemoryError e) {
            throw nativeMemoryRefusal(e, "decoding");
        }
        try {
            long decoded = System.nanoTime();
            out.addTimings(timing("decode", decoded - start));
            if (counted) {
                metrics.stage("decode", decoded - start);
            }
            out.setWidth(frame.cols()).setHeight(frame.rows()).setMediaTimeUs(mediaTimeUs);
            StreamState state = states.acquire(req.getStreamId(), req.getSourceIndex());
            List<TaskResult> done = new ArrayList<>();
            for (TaskRequest t : req.getTasksList()) {
                VisionTask task = tasks.find(t.getName()).orElseThrow();
                long t0 = System.nanoTime();
                TaskResult r = runTask(task, new TaskContext(req.getStreamId(), req.getSequence(),
                        req.getSourceIndex(), req.getCaptureTimeUs(), frame, t.getParamsMap(), state,
                        Collections.unmodifiableList(done)).withMediaTime(mediaTimeUs)
                        .withRecordedAt(req.getLive() ? 0 : req.getRecordedAtUs())
                        .withBudget(TaskBudget.start(t.getName(), taskBudgetMs)));
                done.add(r);
                long dt = System.nanoTime() - t0;
                out.addTasks(r);
                out.addTimings(timing("task." + t.getName(), dt));
                if (counted) {
                    metrics.task(t.getName(), r.getStatus(), dt);
                }
            }
            if (stateful && states.settle(state)) {
                // the stream's state grew over its own bound and was dropped: its stateful tasks'
                // results would describe state that is gone
                for (int i = 0; i < out.getTasksCount(); i++) {
                    TaskResult r = out.getTasks(i);
                    if (tasks.find(r.getTask()).orElse(null) instanceof StatefulTask<?>) {
                        out.setTasks(i, failed(r.getTask(), Code.TOO_LARGE, "the stream's state grew to " + state.lastMeasured()
                                + " bytes, over the per-stream limit of " + states.maxStreamBytes()
                                + " (AgentConfig.maxStreamStateBytes); it was dropped, and the next frame starts afresh"));
                    }
                }
            }
            out.addTimings(timing("agent", System.nanoTime() - receivedNanos));
            FrameResult result = out.build();
            if (listener != null) {
                listener.processed(result, frame);
            }
            return result;
        } finally {
            decoder.release(frame);
        }
    }

    private TaskResult runTask(VisionTask task, TaskContext ctx) {
        long pixels = (long) ctx.frame().cols() * ctx.frame().rows();
        if (pixels > task.maxPixels()) {
            return failed(task.name(), Code.TOO_LARGE, "a frame of " + ctx.frame().cols() + "x" + ctx.frame().rows()
                    + " is over this task's budget of " + task.maxPixels() + " pixels (VisionTask.maxPixels)");
        }
        try {
            return task.run(ctx);
        } catch (Exceeded e) {
            metrics.budgetExceeded(task.name());
            log.warn("task {} on stream {} frame {}: {}", task.name(), ctx.streamId(), ctx.sequence(), e.getMessage());
            return failed(task.name(), e.code(), e.getMessage());
        } catch (TaskException e) {
            return failed(task.name(), e.code(), e.getMessage());
        } catch (OutOfMemoryError e) {
            if (!NativeMemory.isJavaCppLimit(e)) {
                throw e;
            }
            log.warn("task {} on stream {}: JavaCPP refused native memory ({})", task.name(), ctx.streamId(),
                    NativeMemory.limits(), e);
            return failed(task.name(), Code.OVERLOADED, "the agent is out of native memory ("
                    + NativeMemory.limits() + "): " + e.getMessage());
        } catch (CvException e) {
            log.warn("task {} on stream {} failed in OpenCV", task.name(), ctx.streamId(), e);
            return failed(task.name(), Code.INTERNAL, "OpenCV: " + e.getMessage());
        } catch (RuntimeException e) {
            log.error("task {} on stream {} threw", task.name(), ctx.streamId(), e);
            return failed(task.name(), Code.INTERNAL, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /** JavaCPP refused memory for the frame: a passing refusal, nothing applied; anything else goes on up. */
    private static FrameRefused nativeMemoryRefusal(OutOfMemoryError e, String what) {
        if (!NativeMemory.isJavaCppLimit(e)) {
            throw e;
        }
        log.warn("JavaCPP refused native memory while {} ({})", what, NativeMemory.limits(), e);
        return new FrameRefused(Code.OVERLOADED, "the agent is out of native memory while " + what
                + " (" + NativeMemory.limits() + "): " + e.getMessage() + "; try another agent or later");
    }

    private static TaskResult failed(String task, Code code, @Nullable String message) {
        return TaskResult.newBuilder().setTask(task).setStatus(code).setMessage(String.valueOf(message)).build();
    }

    /** Where FILE_FRAME images are read from, for the agent to give the cluster's source policy. */
    public FileFrameReader files() {
        return files;
    }

    /** Frees the decoder's per-thread native state; call once no worker runs any more. */
    @Override
    public void close() {
        files.close();
        decoder.close();
    }

    public static StageTiming timing(String stage, long nanos) {
        return StageTiming.newBuilder().setStage(stage).setMicros(nanos / 1_000).build();
    }
}
