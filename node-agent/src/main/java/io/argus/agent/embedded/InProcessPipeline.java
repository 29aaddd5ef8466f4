package io.argus.agent.embedded;

import io.argus.agent.AgentConfig;
import io.argus.agent.NodeAgent;
import io.argus.agent.exec.FramePipeline;
import io.argus.agent.exec.StreamLanes;

/**
 * An agent's processing without the agent: the same tasks, decoder, per-stream state and
 * ordered worker lanes as {@link NodeAgent} builds from the same {@link AgentConfig}, called
 * directly in this JVM. It exists to measure what the cluster hop costs ({@code bench
 * --in-process}): the difference between this and a real agent is the network, the protocol
 * and the client library, nothing else.
 */
public final class InProcessPipeline implements AutoCloseable {
    private final FramePipeline pipeline;
    private final StreamLanes lanes;

    private InProcessPipeline(FramePipeline pipeline, StreamLanes lanes) {
        this.pipeline = pipeline;
        this.lanes = lanes;
    }

    public static InProcessPipeline create(AgentConfig config) {
        NodeAgent.Processing p = NodeAgent.processing(config);
        return new InProcessPipeline(p.pipeline(), p.lanes());
    }

    public FramePipeline pipeline() {
        return pipeline;
    }

    public StreamLanes lanes() {
        return lanes;
    }

    @Override
    public void close() {
        lanes.close();
        try {
            if (lanes.awaitTermination(2_000)) {
                pipeline.close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
