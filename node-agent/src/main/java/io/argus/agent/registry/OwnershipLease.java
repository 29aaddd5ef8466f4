package io.argus.agent.registry;

import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Whether this agent can still be sure that it owns what it was assigned: a lease renewed by
 * reading its own registration node and finding it held by its current ZooKeeper session.
 *
 * <p>Why it is needed: an agent frozen for longer than its session (SIGSTOP, a VM pause, a long
 * GC) has lost its streams to other agents by the time it runs again, but its threads resume
 * before its ZooKeeper client notices. A managed stream's runner asks {@link #valid()} before every
 * frame, and the lease is valid only for {@link #validNanos()} after the start of the last
 * successful renewal. That is half the session timeout, and nobody can take the stream over
 * before the session expires, so a woken agent stops before its successor starts, as far as the
 * two clocks (one machine's monotonic clock, or two that run at the same rate) agree. Its
 * checkpoints and events carry its old epoch as well, and coordinators drop them.
 */
public final class OwnershipLease implements Closeable {
    private static final Logger log = LoggerFactory.getLogger(OwnershipLease.class);
    /** A renewal every this fraction of the session timeout (three chances per lease). */
    public static final int RENEWALS_PER_SESSION = 6;
    /** The lease lasts this fraction of the session timeout after a renewal was sent. */
    public static final int VALID_FRACTION_OF_SESSION = 2;

    private final CuratorFramework curator;
    private final String path;
    private final long validNanos;
    private final LongSupplier clock;
    /** How long one renewal may wait for ZooKeeper's answer: one renewal period. */
    private final long attemptMs;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "argus-ownership-lease");
        t.setDaemon(true);
        return t;
    });
    private volatile long renewedAt;
    private volatile boolean renewed;

    /**
     * @param path the agent's own ephemeral registration node
     * @param sessionTimeoutMs the ZooKeeper session timeout the agent asked for
     */
    public OwnershipLease(CuratorFramework curator, String path, int sessionTimeoutMs) {
        this(curator, path, sessionTimeoutMs, System::nanoTime);
    }

    OwnershipLease(CuratorFramework curator, String path, int sessionTimeoutMs, LongSupplier clock) {
        this.curator = curator;
        this.path = path;
        this.validNanos = TimeUnit.MILLISECONDS.toNanos(sessionTimeoutMs) / VALID_FRACTION_OF_SESSION;
        this.attemptMs = renewalPeriodMs(sessionTimeoutMs);
        this.clock = clock;
    }

    public OwnershipLease start(int sessionTimeoutMs) {
        timer.scheduleWithFixedDelay(this::renew, 0, renewalPeriodMs(sessionTimeoutMs), TimeUnit.MILLISECONDS);
        return this;
    }

    /**
     * One renewal: reads the registration node; valid when the current session holds it. One
     * attempt on the raw ZooKeeper handle, waited for at most one renewal period: Curator's
     * retrying calls would keep this thread in their backoff (seconds per attempt, minutes in
     * all) while ZooKeeper is away, and then the lease would stay lapsed long after it is back.
     */
    void renew() {
        long sentAt = clock.getAsLong();
        try {
            if (!curator.getZookeeperClient().isConnected()) {
                return;
            }
            long session = curator.getZookeeperClient().getZooKeeper().getSessionId();
            Stat stat = BoundedRead.exists(curator, path, attemptMs);
            if (stat != null && stat.getEphemeralOwner() == session) {
                renewedAt = sentAt;
                renewed = true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.debug("ownership lease not renewed: {}", e.toString());
        }
    }

    /** True while this agent can be sure that ZooKeeper still sees it (so its assignments hold). */
    public boolean valid() {
        return renewed && clock.getAsLong() - renewedAt < validNanos;
    }

    static long renewalPeriodMs(int sessionTimeoutMs) {
        return Math.max(50, sessionTimeoutMs / RENEWALS_PER_SESSION);
    }

    public long validNanos() {
        return validNanos;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
