package io.argus.cluster;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A client that ran a runSafe task leaves no thread behind once it is closed. */
class ZkClientsTest {
    static List<Thread> runSafeThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("Curator-SafeNotifyService")).toList();
    }

    @Test
    void theRunSafeThreadEndsWhenIdle() throws Exception {
        try (TestingServer zk = new TestingServer(true)) {
            List<Thread> before = runSafeThreads();
            try (CuratorFramework c = ZkClients.newClient(zk.getConnectString())) {
                c.start();
                assertThat(c.blockUntilConnected(10, TimeUnit.SECONDS)).isTrue();
                List<String> order = new java.util.concurrent.CopyOnWriteArrayList<>();
                for (int i = 0; i < 20; i++) {
                    int n = i;
                    c.runSafe(() -> order.add("task " + n));
                }
                c.runSafe(() -> { }).get(5, TimeUnit.SECONDS);
                assertThat(order).as("one thread, in order").hasSize(20).isSortedAccordingTo(
                        java.util.Comparator.comparingInt(s -> Integer.parseInt(s.substring(5))));
            }
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ZkClients.RUN_SAFE_IDLE_MS * 5);
            List<Thread> left = runSafeThreads();
            while (!before.containsAll(left) && System.nanoTime() < deadline) {
                Thread.sleep(50);
                left = runSafeThreads();
            }
            assertThat(before).as("runSafe threads left").containsAll(left);
        }
    }
}
