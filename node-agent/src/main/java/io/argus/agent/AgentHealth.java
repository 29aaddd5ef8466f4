package io.argus.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.argus.agent.exec.StreamLanes;
import io.argus.agent.exec.StuckWorkerWatchdog;
import io.argus.agent.net.AgentRuntime;
import io.argus.agent.net.MetricsServer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The agent's {@code /healthz} body: "ok", or "degraded" (503) with the problems that a
 * supervisor should act on, plus the counts an operator looks at first.
 */
final class AgentHealth implements Supplier<MetricsServer.Health> {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String agentId;
    private final AgentRuntime.Admission admission;
    private final StreamLanes lanes;
    private final StuckWorkerWatchdog watchdog;

    AgentHealth(String agentId, AgentRuntime.Admission admission, StreamLanes lanes, StuckWorkerWatchdog watchdog) {
        this.agentId = agentId;
        this.admission = admission;
        this.lanes = lanes;
        this.watchdog = watchdog;
    }

    @Override
    public MetricsServer.Health get() {
        Map<String, Object> body = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        if (watchdog.degraded()) {
            problems.add(lanes.stuckAlive() + " workers stuck (AgentConfig.maxStuckWorkers): restart the agent");
        }
        body.put("status", problems.isEmpty() ? "ok" : "degraded");
        body.put("problems", problems);
        body.put("agent", agentId);
        body.put("stuck_workers", lanes.stuckAlive());
        body.put("draining", admission.draining());
        body.put("fenced", admission.fenced());
        body.put("queued", lanes.queued());
        try {
            return new MetricsServer.Health(JSON.writeValueAsString(body), problems.isEmpty());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
