package io.argus.agent.net;

import io.argus.agent.AgentConfig;
import io.argus.agent.exec.AdaptiveShedder;
import io.argus.agent.exec.AgentMetrics;
import io.argus.agent.exec.FramePipeline;
import io.argus.agent.exec.LoadMeter;
import io.argus.agent.exec.StreamLanes;
import io.argus.agent.record.Recorder;
import io.argus.agent.state.StreamStateStore;
import io.argus.agent.task.TaskRegistry;
import io.netty.channel.group.ChannelGroup;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What the per-connection handlers share: the running agent's services and its admission state.
 *
 * @param channels open client connections, for the Goodbye broadcast when draining
 * @param recorder where the events of processed frames are published
 * @param viewers  subscribers to streams' results and previews
 * @param shedder  adaptive load shedding at admission
 * @param ownership whether this agent may apply a stateful stream's frames (its assignment and lease)
 * @param access    which party may send to, control and view which stream
 */
public record AgentRuntime(String agentId, AgentConfig config, TaskRegistry tasks, FramePipeline pipeline,
                           StreamLanes lanes, StreamStateStore states, AgentMetrics metrics, LoadMeter load,
                           ChannelGroup channels, Admission admission, Recorder recorder,
                           ViewerHub viewers, AdaptiveShedder shedder,
                           OwnershipCheck ownership, StreamAccess access) {

    /** Whether the agent takes work: flipped by shutdown (draining) and by ZooKeeper state (fencing). */
    public static final class Admission {
        private volatile boolean draining;
        private volatile boolean fenced;
        private final List<Runnable> fenceListeners = new CopyOnWriteArrayList<>();

        public boolean draining() {
            return draining;
        }

        public void startDraining() {
            draining = true;
        }

        /**
         * A fenced agent has lost its ZooKeeper connection: it may no longer own anything, because
         * the cluster may already have given its streams to another agent. It takes no frames at
         * all (clients resend them elsewhere) and stops its managed streams, after checkpointing
         * every stream's state so the next owner continues the counts.
         */
        public boolean fenced() {
            return fenced;
        }

        public void fenced(boolean value) {
            boolean changed = fenced != value;
            fenced = value;
            if (changed) {
                fenceListeners.forEach(Runnable::run);
            }
        }

        /** Called (on the ZooKeeper event thread: do not block) whenever {@link #fenced()} changes. */
        public void onFenceChange(Runnable listener) {
            fenceListeners.add(listener);
        }
    }
}
