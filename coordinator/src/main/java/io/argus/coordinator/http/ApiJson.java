package io.argus.coordinator.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.argus.coordinator.store.EventStore;
import io.argus.coordinator.streams.StreamService;
import io.argus.cluster.AgentInfo;
import io.argus.cluster.Assignment;
import io.argus.cluster.ClusterView;
import io.argus.cluster.ManagedState;
import io.argus.cluster.ManagedStatus;
import io.argus.cluster.StreamConfig;
import io.argus.cluster.StreamDefinition;
import io.argus.protocol.json.ResultJson;

import java.util.List;
import java.util.Map;

/**
 * How the HTTP API's resources look in JSON: agents, streams, configurations, events, counts and
 * totals. Times leave as epoch milliseconds (stored events keep microseconds).
 */
final class ApiJson {
    private ApiJson() {
    }

    /** Every agent with its payload, its circuit breaker's state and the streams assigned to it. */
    static ArrayNode agents(Map<String, Assignment> assignments, List<AgentInfo> agents, AgentPool pool) {
        ArrayNode a = ResultJson.MAPPER.createArrayNode();
        for (AgentInfo ag : agents) {
            ObjectNode n = a.addObject();
            n.put("id", ag.id());
            n.set("payload", ResultJson.MAPPER.valueToTree(ag.payload()));
            n.put("breaker", pool.breaker(ag.id()).getState().name());
            ArrayNode streams = n.putArray("streams");
            assignments.forEach((s, as) -> {
                if (as.agent().equals(ag.id())) {
                    streams.add(s);
                }
            });
        }
        return a;
    }

    static ArrayNode streams(List<StreamService.StreamStatus> streams) {
        ArrayNode a = ResultJson.MAPPER.createArrayNode();
        streams.forEach(st -> a.add(stream(st)));
        return a;
    }

    /** A stream's definition as registered, with a recording's start also readable ({@code recorded_at}). */
    static ObjectNode definition(StreamDefinition d) {
        ObjectNode n = ResultJson.MAPPER.valueToTree(d);
        if (d.recordedAtUs() > 0) {
            long us = d.recordedAtUs();
            n.put("recorded_at", java.time.Instant.ofEpochSecond(us / 1_000_000, (us % 1_000_000) * 1_000).toString());
        }
        return n;
    }

    static ObjectNode stream(StreamService.StreamStatus st) {
        ObjectNode n = definition(st.definition());
        n.put("agent", st.assignment() == null ? null : st.assignment().agent());
        n.put("assignment_reason", st.assignment() == null ? null : st.assignment().reason());
        n.put("config_version", st.configVersion());
        ManagedStatus state = st.state();
        if (state != null) {
            // the managed stream's state as its agent reports it: what an operator needs to see
            // that a source is failing without reading the agent's log
            n.put("state", state.state().label());
            boolean starting = state.state() == ManagedState.STARTING;
            n.put("last_error", starting ? null : state.lastError());
            n.put("state_detail", starting ? state.lastError() : null);
            n.put("failures", state.failures());
            n.put("next_attempt_at_ms", state.nextAttemptAtMs() > 0 ? state.nextAttemptAtMs() : null);
            n.put("state_since_ms", state.sinceMs() > 0 ? state.sinceMs() : null);
            // the sequence the owner continued from (0: fresh state): a move or an outage that
            // restarted a recording at frame 0 shows here, not only in the agent's log
            n.put("resumed_from", state.resumedFrom() >= 0 && !starting ? state.resumedFrom() : null);
        }
        return n;
    }

    static ObjectNode deleted(String id) {
        ObjectNode n = ResultJson.MAPPER.createObjectNode();
        n.put("deleted", id);
        return n;
    }

    static ObjectNode config(ClusterView.Versioned<StreamConfig> c) {
        ObjectNode n = ResultJson.MAPPER.createObjectNode();
        n.put("version", c.version());
        n.set("config", ResultJson.MAPPER.valueToTree(c.value()));
        return n;
    }

    static ObjectNode configVersion(String id, int version) {
        ObjectNode n = ResultJson.MAPPER.createObjectNode();
        n.put("stream", id).put("version", version);
        return n;
    }

    /** Crossing counts per bucket, then the all-time totals; bucket starts and size in milliseconds. */
    static ObjectNode counts(String id, long bucketUs, Map<Long, Map<String, Long>> buckets, Map<String, Long> totals) {
        ObjectNode n = ResultJson.MAPPER.createObjectNode();
        n.put("stream", id).put("bucket_ms", bucketUs / 1000);
        ArrayNode a = n.putArray("buckets");
        buckets.forEach((start, counts) -> {
            ObjectNode b = a.addObject();
            b.put("start_ms", start / 1000);
            ObjectNode c = b.putObject("counts");
            counts.forEach(c::put);
        });
        ObjectNode t = n.putObject("totals");
        totals.forEach(t::put);
        return n;
    }

    static ObjectNode totals(String id, Map<String, Long> totals) {
        ObjectNode n = ResultJson.MAPPER.createObjectNode();
        n.put("stream", id);
        ObjectNode t = n.putObject("totals");
        totals.forEach(t::put);
        return n;
    }

    /** Events with their attributes, and the link to the thumbnail of those that have one. */
    static ArrayNode events(List<EventStore.StoredEvent> events) {
        ArrayNode a = ResultJson.MAPPER.createArrayNode();
        for (EventStore.StoredEvent e : events) {
            ObjectNode n = a.addObject();
            n.put("id", e.id()).put("type", e.type()).put("stream", e.stream()).put("frame", e.frame())
                    .put("time_ms", e.timeUs() / 1000);
            n.set("attributes", ResultJson.MAPPER.valueToTree(e.attributes()));
            if (e.hasThumbnail()) {
                n.put("thumbnail", "/v1/events/" + e.id() + "/thumbnail");
            }
        }
        return a;
    }
}
