package io.argus.agent.task;

import io.argus.protocol.v1.Code;
import io.argus.task.api.TaskException;

import java.util.function.LongSupplier;

/**
 * The processing time one task may spend on one frame ({@code AgentConfig.taskBudgetMs}). The
 * frame deadline only bounds the time a frame waits in the queue; this bounds the work itself.
 *
 * <p>Enforced cooperatively: a task calls {@link #check} between its stages (detection and
 * tracking, one text line and the next, one search region and the next), at points where its
 * stream state is whole, so that a task over budget stops there with {@link Exceeded} (answered
 * {@code TIMEOUT} in the task's result) and never leaves half an update behind. A single stage
 * is bounded by the pixel budgets ({@link VisionTask#maxPixels}); a worker that does not come
 * back at all is the watchdog's ({@code StuckWorkerWatchdog}).
 */
public final class TaskBudget {
    /** No limit: for callers outside an agent (unit tests, tools). */
    public static final TaskBudget NONE = new TaskBudget("", 0, System::nanoTime);

    private final String task;
    private final long budgetNanos;
    private final long startNanos;
    private final LongSupplier clock;

    /**
     * @param budgetMs 0 for no limit
     * @param clock    nanoTime source (tests of the arithmetic pass a fake)
     */
    public TaskBudget(String task, long budgetMs, LongSupplier clock) {
        this.task = task;
        this.budgetNanos = budgetMs * 1_000_000L;
        this.clock = clock;
        this.startNanos = clock.getAsLong();
    }

    public static TaskBudget start(String task, long budgetMs) {
        return budgetMs <= 0 ? NONE : new TaskBudget(task, budgetMs, System::nanoTime);
    }

    public long budgetMs() {
        return budgetNanos / 1_000_000L;
    }

    public long elapsedMs() {
        return (clock.getAsLong() - startNanos) / 1_000_000L;
    }

    public boolean exceeded() {
        return budgetNanos > 0 && clock.getAsLong() - startNanos > budgetNanos;
    }

    /**
     * Stops the task if its budget is spent, or if its worker was interrupted (the watchdog gave
     * up on it: whatever it computes now is answered by nobody).
     *
     * @param stage what the task is about to do (named in the error)
     */
    public void check(String stage) throws Exceeded {
        if (Thread.currentThread().isInterrupted()) {
            throw new Exceeded(task + " stopped before " + stage + ": its worker was given up as stuck after "
                    + elapsedMs() + " ms");
        }
        if (exceeded()) {
            throw new Exceeded(task + " went over its processing budget of " + budgetMs() + " ms (AgentConfig.taskBudgetMs)"
                    + " after " + elapsedMs() + " ms, before " + stage + "; the frame's other tasks still ran");
        }
    }

    /** A task stopped for time: answered {@code TIMEOUT} in its result. */
    public static final class Exceeded extends TaskException {
        private static final long serialVersionUID = 1L;

        public Exceeded(String message) {
            super(Code.TIMEOUT, message);
        }
    }
}
