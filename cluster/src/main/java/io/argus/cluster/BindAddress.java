package io.argus.cluster;

import org.jspecify.annotations.Nullable;

/**
 * Where a server of an Argus node listens when the operator does not say. The rule every node (agent, coordinator)
 * shares: plaintext only on loopback, because without TLS anyone on the network could read frames and tokens; with
 * TLS on every interface, because the peers are authenticated.
 */
public final class BindAddress {
    /** The default with TLS: every interface. */
    public static final String DEFAULT_WITH_TLS = "0.0.0.0";
    /** The default without TLS: loopback only. */
    public static final String DEFAULT_PLAINTEXT = "127.0.0.1";

    private BindAddress() {
    }

    /** {@code configured} when given, else the default for a node with or without TLS. */
    public static String orDefault(@Nullable String configured, boolean tls) {
        if (configured != null) {
            return configured;
        }
        return tls ? DEFAULT_WITH_TLS : DEFAULT_PLAINTEXT;
    }
}
