package io.argus.agent.net;

import io.argus.protocol.auth.Grant;
import java.util.Locale;

/**
 * Who is on the other end of a connection, as its Hello established: the client id it registers
 * streams under, and what its token grants. The client id is the client's own claim; it is trusted
 * as far as the token is (parties that share a token can act as each other; give each its own).
 */
record Party(String clientId, Grant grant) {
    @Override
    public String toString() {
        return clientId + " (" + grant.name().toLowerCase(Locale.ROOT) + ")";
    }
}
