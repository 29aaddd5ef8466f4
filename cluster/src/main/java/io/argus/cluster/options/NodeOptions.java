package io.argus.cluster.options;

import io.argus.cluster.BindAddress;
import io.argus.cluster.ZkClients;
import io.argus.cluster.ZkCredentials;
import io.argus.cluster.ZkPaths;
import io.argus.protocol.tls.TlsSettings;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;

/**
 * The settings every cluster node (agent and coordinator) shares, as one picocli mixin: where the cluster lives in
 * ZooKeeper and how a node talks to it (root, session timeout, credentials), TLS, and the bind address. The
 * ZooKeeper connect string itself stays with each command: an agent may run without one, a coordinator may not.
 * Defaults come from {@link ZkPaths#DEFAULT_ROOT}, {@link ZkClients#DEFAULT_SESSION_TIMEOUT_MS} and
 * {@link BindAddress}.
 */
public final class NodeOptions {
    @Option(names = "--zk-root", defaultValue = ZkPaths.DEFAULT_ROOT,
            description = "Cluster root znode (default: ${DEFAULT-VALUE}).")
    String zkRoot;

    @Option(names = "--session-timeout-ms", defaultValue = "" + ZkClients.DEFAULT_SESSION_TIMEOUT_MS,
            description = "ZooKeeper session timeout: how long a silent node keeps its registration, leadership and "
                    + "streams (default: ${DEFAULT-VALUE}).")
    int sessionTimeoutMs;

    @Option(names = "--bind", description = "Address to bind (default: " + BindAddress.DEFAULT_WITH_TLS + " with TLS, "
            + BindAddress.DEFAULT_PLAINTEXT + " without).")
    @Nullable String bind;

    @Mixin
    TlsOptions tls = new TlsOptions();

    @Mixin
    ZkAuthOptions zkAuth = new ZkAuthOptions();

    public String zkRoot() {
        return zkRoot;
    }

    public int sessionTimeoutMs() {
        return sessionTimeoutMs;
    }

    /** The address given with {@code --bind}, or null for {@link BindAddress}'s default. */
    public @Nullable String bind() {
        return bind;
    }

    /** The TLS settings, or null for plaintext. */
    public @Nullable TlsSettings tls() {
        return tls.settings();
    }

    /** The ZooKeeper credentials, or null when none were given. */
    public @Nullable ZkCredentials zkCredentials() throws IOException {
        return zkAuth.credentials();
    }
}
