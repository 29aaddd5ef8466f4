package io.argus.agent.task;

import io.argus.protocol.v1.TaskResult;
import io.argus.task.api.TaskException;
import org.opencv.core.Mat;

import java.util.List;
import java.util.Map;

/**
 * What a task sees of one frame: the decoded image, its parameters, its stream's state.
 * The frame belongs to the pipeline: tasks read it and never release or modify it.
 */
public final class TaskContext {
    private final String streamId;
    private final long sequence;
    private final long sourceIndex;
    private final long captureTimeUs;
    private final Mat frame;
    private final Map<String, String> params;
    private final TaskStates state;
    private final java.util.List<io.argus.protocol.v1.TaskResult> earlier;

    public TaskContext(String streamId, long sequence, long sourceIndex, long captureTimeUs, Mat frame,
                       Map<String, String> params, TaskStates state) {
        this(streamId, sequence, sourceIndex, captureTimeUs, frame, params, state, java.util.List.of());
    }

    public TaskContext(String streamId, long sequence, long sourceIndex, long captureTimeUs, Mat frame,
                       Map<String, String> params, TaskStates state,
                       java.util.List<io.argus.protocol.v1.TaskResult> earlier) {
        this.earlier = earlier;
        this.streamId = streamId;
        this.sequence = sequence;
        this.sourceIndex = sourceIndex;
        this.captureTimeUs = captureTimeUs;
        this.frame = frame;
        this.params = params;
        this.state = state;
    }

    public String streamId() {
        return streamId;
    }

    public long sequence() {
        return sequence;
    }

    /** Frame index in the source, 0-based (the client's numbering). */
    public long sourceIndex() {
        return sourceIndex;
    }

    public long captureTimeUs() {
        return captureTimeUs;
    }

    /**
     * The stream's own clock for time-based logic (dwell times, periodic searches): the media
     * presentation time for recorded footage, so that analysing a file gives the same answer every
     * time, and the capture time for live sources.
     */
    public long timeUs() {
        return mediaTimeUs > 0 ? mediaTimeUs : captureTimeUs;
    }

    private long mediaTimeUs;
    private long recordedAtUs;

    public TaskContext withMediaTime(long us) {
        this.mediaTimeUs = us;
        return this;
    }

    /** The recording's start ({@code FrameRequest.recorded_at_us}); 0 or less: none. */
    public TaskContext withRecordedAt(long us) {
        this.recordedAtUs = us;
        return this;
    }

    /**
     * When what a task finds in this frame happened, for the record (an event's {@code time_us}):
     * on a recording whose start the client gave, that start plus the frame's presentation time
     * (the media time is sent as presentation time + 1, 0 meaning none), so that events of last
     * night's file are dated last night whenever and wherever it is analysed; otherwise the
     * capture time.
     */
    public long eventTimeUs() {
        if (recordedAtUs <= 0 || mediaTimeUs <= 0) {
            return captureTimeUs;
        }
        long t = recordedAtUs + (mediaTimeUs - 1);
        return t < recordedAtUs ? captureTimeUs : t; // overflowed: a start no recording has
    }

    public Mat frame() {
        return frame;
    }

    public Map<String, String> params() {
        return params;
    }

    /** Results of the tasks that ran before this one on the same frame (for annotate and mosaic). */
    public List<TaskResult> earlier() {
        return earlier;
    }

    private TaskBudget budget = TaskBudget.NONE;

    /** Sets the processing budget this task runs under ({@code AgentConfig.taskBudgetMs}). */
    public TaskContext withBudget(TaskBudget b) {
        this.budget = b;
        return this;
    }

    public TaskBudget budget() {
        return budget;
    }

    /**
     * Stops the task with {@code TIMEOUT} if its processing budget is spent. Call it between
     * stages, where the stream's state is whole (see {@link TaskBudget}).
     */
    public void checkBudget(String stage) throws TaskBudget.Exceeded {
        budget.check(stage);
    }

    /** The stream's state for a stateful task, created on first use. */
    public <S> S state(StatefulTask<S> task) throws TaskException {
        return state.get(task);
    }
}
