package io.argus.agent.net;

import io.argus.protocol.auth.Grant;
import io.argus.protocol.v1.Role;

/** User event fired once a connection's Hello was accepted: who the party is and what its token grants. */
record HandshakeComplete(String clientId, Role role, Grant grant) {
}
