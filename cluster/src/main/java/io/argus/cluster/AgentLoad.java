package io.argus.cluster;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * An agent's load figure, published in its discovery payload.
 *
 * @param queueDepth      frames waiting for a worker
 * @param inFlight        frames being processed or waiting
 * @param framesPerSecond frames completed per second over the last few seconds
 * @param cpu             process CPU use, 0..1 (of all cores)
 * @param streams         streams with state on the agent
 * @param utilisation     frames queued or in work against twice the worker count, 0..1.5 (what the
 *                        coordinator balances on: a backlog, not CPU, since CPU is shared with
 *                        whatever else runs on the machine)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AgentLoad(int queueDepth, int inFlight, double framesPerSecond, double cpu, int streams,
                        double utilisation) {
    public static final AgentLoad IDLE = new AgentLoad(0, 0, 0, 0, 0, 0);
}
