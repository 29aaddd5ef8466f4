package io.argus.cluster;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Which agent owns a stream, stored as JSON at {@code /argus/assignments/{id}} by the leader
 * coordinator.
 *
 * @param agent        the owning agent's id
 * @param reason       why it is there: {@code rendezvous}, {@code failover}, {@code load}
 * @param assignedAtMs when the leader decided it
 * @param leader       the coordinator that wrote it
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Assignment(String agent, String reason, long assignedAtMs, String leader) {
}
