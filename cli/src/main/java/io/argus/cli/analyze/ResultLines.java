package io.argus.cli.analyze;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.argus.client.StreamResult;
import io.argus.protocol.json.ResultJson;

/** The per-frame line of {@code analyze} output. */
public final class ResultLines {
    private ResultLines() {
    }

    public static ObjectNode line(StreamResult r, boolean timings) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("stream", r.streamId()).put("frame", r.sourceIndex()).put("agent", r.agentId())
                .put("latency_ms", Math.round(r.latencyUs() / 10.0) / 100.0)
                // when the result reached the client (epoch ms): lets gaps be measured from the output alone
                .put("at_ms", (r.captureUs() + r.latencyUs()) / 1000);
        if (r.attempts() > 1) {
            n.put("attempts", r.attempts());
        }
        if (r.ok()) {
            n.put("width", r.okResult().getWidth()).put("height", r.okResult().getHeight());
            if (r.okResult().getDegraded()) {
                n.put("degraded", true); // the agent was shedding load when it answered
            }
            if (r.okResult().getConfigVersion() != 0) {
                n.put("config_version", r.okResult().getConfigVersion());
            }
            n.set("tasks", ResultJson.tasks(r.okResult(), false));
            if (timings) {
                n.set("timings_ms", ResultJson.timings(r.okResult()));
            }
        } else {
            n.putObject("error").put("code", r.error().name()).put("message", r.errorMessage());
        }
        return n;
    }
}
