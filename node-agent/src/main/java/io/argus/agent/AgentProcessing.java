package io.argus.agent;

import io.argus.agent.NodeAgent.Processing;
import io.argus.agent.exec.AgentMetrics;
import io.argus.agent.exec.FramePipeline;
import io.argus.agent.exec.StreamLanes;
import io.argus.agent.image.ImageDecoder;
import io.argus.task.image.ImageLimits;
import io.argus.media.image.OpenCv;
import io.argus.agent.state.StreamStateStore;
import io.argus.agent.task.ModelFiles;
import io.argus.agent.task.TaskRegistry;
import io.argus.agent.task.VisionTask;

import java.util.List;
import java.util.function.Function;

/** Builds what an agent processes frames with ({@link Processing}): tasks, stream state, lanes, pipeline. */
final class AgentProcessing {
    private AgentProcessing() {
    }

    /** Each part is recorded in {@code opened}, so that a later failed step closes it. */
    static Processing build(AgentConfig config, String agentId, Function<ModelFiles, List<VisionTask>> extraTasks,
                            OpenedResources opened) {
        OpenCv.load();
        // Parallelism comes from the worker pool (one frame per worker); OpenCV's own threads
        // would only compete with it (default 1; BENCHMARKS.md, threads).
        OpenCv.setThreads(config.opencvThreads());
        TaskRegistry tasks = TaskCatalogue.registry(config, extraTasks);
        opened.add("tasks", tasks::close);
        StreamStateStore states = new StreamStateStore(config.stateIdleTimeout(), config.maxStreamStateBytes(),
                config.maxStateBytes(), config.stateEvictMinIdle());
        opened.add("stream states", states::close);
        // a lane holds at most two windows of frames: one connection's worth plus a reconnect's
        StreamLanes lanes = new StreamLanes(config.workers(), config.maxStreams(),
                Math.max(2, config.creditsPerConnection() * 2), "argus-worker");
        AgentMetrics metrics = new AgentMetrics(agentId);
        FramePipeline pipeline = new FramePipeline(agentId, tasks,
                new ImageDecoder(new ImageLimits(config.maxPixels(), config.maxDimension())), states, metrics,
                config.taskBudgetMs());
        opened.add("worker lanes", () -> {
            lanes.close();
            if (lanes.awaitTermination(NodeAgent.CLOSE_WAIT_MS)) {
                pipeline.close(); // never under a worker still decoding: that would be a use after free
            }
        });
        return new Processing(tasks, states, lanes, metrics, pipeline);
    }

    /** The processing gauges of the agent's metrics. */
    static void gauges(Processing p) {
        AgentMetrics m = p.metrics();
        StreamStateStore states = p.states();
        m.gauge("argus.agent.queue", p.lanes()::queued);
        m.gauge("argus.agent.frames.live", p.pipeline()::liveFrames);
        m.gauge("argus.agent.streams", states::size);
        m.gauge("argus.agent.state.bytes", states::totalBytes);
        m.countFrom("argus.agent.state.evicted", "streams evicted to make room (maxStateBytes)",
                states, StreamStateStore::evictedForMemory);
        m.countFrom("argus.agent.state.refused", "frames refused with the state memory full",
                states, StreamStateStore::refused);
        m.countFrom("argus.agent.state.over_stream_bound", "stream states dropped over maxStreamStateBytes",
                states, StreamStateStore::overStreamBound);
    }
}
