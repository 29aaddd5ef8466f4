package io.argus.agent.net;

import io.argus.protocol.v1.Role;

/** User event fired once a connection's Hello was accepted. */
record HandshakeComplete(String clientId, Role role) {
}
