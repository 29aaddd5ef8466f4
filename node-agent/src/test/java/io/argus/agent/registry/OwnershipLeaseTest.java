package io.argus.agent.registry;

import io.argus.cluster.ZkClients;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.CreateMode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The lease on real ZooKeeper with a fake clock: it holds for half a session after a renewal
 * found the agent's node held by its own session, and never on a node some other session holds
 * (the agent's old registration after its session expired and another process re-registered).
 */
class OwnershipLeaseTest {
    static final int SESSION_MS = 4_000;

    @Test
    void validForHalfASessionAfterARenewalAndNeverOnAnotherSessionsNode() throws Exception {
        try (TestingServer zk = new TestingServer(true);
             CuratorFramework mine = ZkClients.newClient(zk.getConnectString(), SESSION_MS);
             CuratorFramework other = ZkClients.newClient(zk.getConnectString(), SESSION_MS)) {
            mine.start();
            other.start();
            mine.blockUntilConnected(10, TimeUnit.SECONDS);
            other.blockUntilConnected(10, TimeUnit.SECONDS);
            AtomicLong now = new AtomicLong(1_000_000_000L);
            OwnershipLease lease = new OwnershipLease(mine, "/agents/a", SESSION_MS, now::get);

            lease.renew();
            assertThat(lease.valid()).as("no registration node yet: nothing proves ownership").isFalse();

            other.create().creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL).forPath("/agents/a");
            lease.renew();
            assertThat(lease.valid()).as("the node is another session's").isFalse();

            other.delete().forPath("/agents/a");
            mine.create().creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL).forPath("/agents/a");
            lease.renew();
            assertThat(lease.valid()).isTrue();
            assertThat(lease.validNanos()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(SESSION_MS)
                    / OwnershipLease.VALID_FRACTION_OF_SESSION);

            now.addAndGet(lease.validNanos() - 1);
            assertThat(lease.valid()).as("just inside the lease").isTrue();
            now.addAndGet(1);
            assertThat(lease.valid()).as("a frozen agent wakes up past its lease: it must not go on").isFalse();

            // a renewal that sees the node held by someone else does not extend the lease
            mine.delete().forPath("/agents/a");
            other.create().withMode(CreateMode.EPHEMERAL).forPath("/agents/a");
            lease.renew();
            assertThat(lease.valid()).isFalse();
            lease.close();
        }
    }

    /**
     * ZooKeeper away for longer than the session, then back: the lease must be renewable again
     * within a few renewal periods of the agent re-registering, not after a retry loop's backoff
     * (it once stayed lapsed for minutes, and a managed stream with it).
     */
    @Test
    void renewsPromptlyAfterZooKeeperComesBack() throws Exception {
        try (TestingServer zk = new TestingServer(true);
             CuratorFramework mine = ZkClients.newClient(zk.getConnectString(), SESSION_MS)) {
            mine.start();
            mine.blockUntilConnected(10, TimeUnit.SECONDS);
            mine.create().creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL).forPath("/agents/a");
            OwnershipLease lease = new OwnershipLease(mine, "/agents/a", SESSION_MS).start(SESSION_MS);
            await().atMost(Duration.ofSeconds(5)).until(lease::valid);

            zk.stop();
            await().atMost(Duration.ofSeconds(5)).until(() -> !lease.valid());
            Thread.sleep(3L * SESSION_MS);
            zk.restart();
            mine.blockUntilConnected(20, TimeUnit.SECONDS);
            // the agent registers again under its new session (AgentRegistration does this)
            await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> {
                if (mine.checkExists().forPath("/agents/a") == null) {
                    mine.create().creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL).forPath("/agents/a");
                }
                return mine.checkExists().forPath("/agents/a").getEphemeralOwner()
                        == mine.getZookeeperClient().getZooKeeper().getSessionId();
            });
            long registered = System.nanoTime();
            await().atMost(Duration.ofSeconds(5)).until(lease::valid);
            assertThat(Duration.ofNanos(System.nanoTime() - registered))
                    .as("renewed within a few renewal periods of the new registration")
                    .isLessThan(Duration.ofMillis(4L * OwnershipLease.renewalPeriodMs(SESSION_MS) + 1_000));
            lease.close();
        }
    }
}
