package io.argus.agent.net;

import io.argus.agent.AgentConfig;
import io.argus.agent.exec.AgentMetrics;
import io.argus.agent.exec.FramePipeline;
import io.argus.agent.exec.LoadMeter;
import io.argus.agent.exec.StreamLanes;
import io.argus.agent.state.StreamStateStore;
import io.argus.agent.task.TaskRegistry;
import io.netty.channel.group.ChannelGroup;

/**
 * What the per-connection handlers share: the running agent's services and its admission state.
 *
 * @param channels open client connections, for the Goodbye broadcast when draining
 * @param recorder where the events of processed frames are published
 * @param viewers  subscribers to streams' results and previews
 * @param shedder  adaptive load shedding at admission
 */
public record AgentRuntime(String agentId, AgentConfig config, TaskRegistry tasks, FramePipeline pipeline,
                           StreamLanes lanes, StreamStateStore states, AgentMetrics metrics, LoadMeter load,
                           ChannelGroup channels, Admission admission, io.argus.agent.record.Recorder recorder,
                           ViewerHub viewers, io.argus.agent.exec.AdaptiveShedder shedder) {

    /** Whether the agent takes work: flipped by shutdown (draining) and by ZooKeeper state (fencing). */
    public static final class Admission {
        private volatile boolean draining;
        private volatile boolean fenced;

        public boolean draining() {
            return draining;
        }

        public void startDraining() {
            draining = true;
        }

        /** Fenced agents keep serving streams they already have but take no new ones. */
        public boolean fenced() {
            return fenced;
        }

        public void fenced(boolean value) {
            fenced = value;
        }
    }
}
