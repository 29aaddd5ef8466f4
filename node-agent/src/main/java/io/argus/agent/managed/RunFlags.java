package io.argus.agent.managed;

/**
 * What a {@link ManagedRunner}'s thread and the lane jobs it submits share: whether the runner
 * still runs, and whether a frame was not applied (then the stream resumes from the checkpoint).
 */
final class RunFlags {
    volatile boolean running = true;
    /** Set when a frame was not applied (fenced in the lane, aborted): resume from the checkpoint. */
    volatile boolean broken;
}
