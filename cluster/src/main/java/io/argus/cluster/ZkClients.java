package io.argus.cluster;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;

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
        return newClient(connectString, sessionTimeoutMs, null);
    }

    /**
     * A client of the ensemble at {@code connectString}, not yet started.
     *
     * @param credentials the cluster's ZooKeeper credentials; with them every node this client
     *                    creates is protected by their ACL. Null: anonymous, open ACLs.
     */
    public static CuratorFramework newClient(String connectString, int sessionTimeoutMs, @Nullable ZkCredentials credentials) {
        CuratorFrameworkFactory.Builder b = CuratorFrameworkFactory.builder()
                .connectString(connectString)
                .sessionTimeoutMs(sessionTimeoutMs)
                .connectionTimeoutMs(Math.min(DEFAULT_CONNECTION_TIMEOUT_MS, sessionTimeoutMs))
                .retryPolicy(new ExponentialBackoffRetry(200, 29, 5_000))
                .runSafeService(runSafeService());
        if (credentials != null) {
            b.authorization("digest", credentials.authBytes()).aclProvider(credentials.aclProvider());
        }
        return b.build();
    }

    /** How long the thread of a client's {@link CuratorFramework#runSafe} tasks stays once idle. */
    static final long RUN_SAFE_IDLE_MS = 1_000;

    /**
     * The executor of a client's {@link CuratorFramework#runSafe} tasks: one thread, in order, as
     * Curator's own, but one that ends {@link #RUN_SAFE_IDLE_MS} after its last task. Curator 5.9
     * makes a single-thread executor for them that {@code close()} never shuts down, so a client
     * that ran one task left a thread behind for the life of the process (seen after an agent's
     * failed start: StartFailureCleanupTest).
     */
    static java.util.concurrent.Executor runSafeService() {
        java.util.concurrent.ThreadPoolExecutor e = new java.util.concurrent.ThreadPoolExecutor(1, 1, RUN_SAFE_IDLE_MS,
                TimeUnit.MILLISECONDS, new java.util.concurrent.LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "Curator-SafeNotifyService");
                    t.setDaemon(true);
                    return t;
                });
        e.allowCoreThreadTimeOut(true);
        return e;
    }

    /** How long a close path waits for one ZooKeeper cleanup step before leaving it to session expiry. */
    public static final long CLEANUP_LIMIT_MS = 2_000;

    /**
     * Runs a ZooKeeper cleanup step (deregistering, deleting our own nodes) for at most
     * {@link #CLEANUP_LIMIT_MS}. Why: with ZooKeeper unreachable, Curator retries an operation for
     * minutes, and a process that is shutting down must not hang on that. Skipping the step is
     * safe because everything it would delete is ephemeral and goes with the session.
     *
     * @return true if the step finished in time without an exception
     */
    public static boolean cleanup(String what, CleanupStep step) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                step.run();
                done.complete(null);
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        }, "zk-cleanup");
        t.setDaemon(true);
        t.start();
        try {
            done.get(CLEANUP_LIMIT_MS, TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            LoggerFactory.getLogger(ZkClients.class).warn(
                    "{}: ZooKeeper did not answer within {} ms; leaving it to session expiry", what, CLEANUP_LIMIT_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            LoggerFactory.getLogger(ZkClients.class).warn("{} failed: {}", what, String.valueOf(e.getCause()));
        }
        return false;
    }

    /** A cleanup step that may throw. */
    @FunctionalInterface
    public interface CleanupStep {
        void run() throws Exception;
    }
}
