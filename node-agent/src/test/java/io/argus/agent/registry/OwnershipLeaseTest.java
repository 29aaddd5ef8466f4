package io.argus.agent.registry;

import io.argus.protocol.cluster.ZkClients;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.CreateMode;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

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
}
