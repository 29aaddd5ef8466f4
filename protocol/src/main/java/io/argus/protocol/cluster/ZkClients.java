package io.argus.protocol.cluster;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;

/** Builds Curator clients with the timeouts Argus documents. */
public final class ZkClients {
    /**
     * Default session timeout: 6 s. An agent that dies without closing its session disappears
     * from discovery after this long (SIGKILLed agents also drop their TCP connections at once,
     * so clients fail over much sooner). The server clamps it to [2, 20] x tickTime.
     */
    public static final int DEFAULT_SESSION_TIMEOUT_MS = 6_000;
    /** Default connection timeout: 3 s per attempt; Curator retries with backoff up to 5 s apart. */
    public static final int DEFAULT_CONNECTION_TIMEOUT_MS = 3_000;

    private ZkClients() {
    }

    public static CuratorFramework newClient(String connectString) {
        return newClient(connectString, DEFAULT_SESSION_TIMEOUT_MS);
    }

    public static CuratorFramework newClient(String connectString, int sessionTimeoutMs) {
        return CuratorFrameworkFactory.builder()
                .connectString(connectString)
                .sessionTimeoutMs(sessionTimeoutMs)
                .connectionTimeoutMs(Math.min(DEFAULT_CONNECTION_TIMEOUT_MS, sessionTimeoutMs))
                .retryPolicy(new ExponentialBackoffRetry(200, 29, 5_000))
                .build();
    }
}
