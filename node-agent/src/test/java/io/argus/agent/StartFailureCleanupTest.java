package io.argus.agent;

import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A start that fails after the frame server is bound gives everything back: the frame port, the
 * event loops, the worker lanes, the ZooKeeper session. The failure is real: the metrics port is
 * taken by another socket, so the metrics server cannot bind, after the frame server, the worker
 * lanes, the watchdog and (with ZooKeeper) the cluster link are open.
 */
class StartFailureCleanupTest {
    static TestingServer zk;

    @BeforeAll
    static void startZooKeeper() throws Exception {
        zk = new TestingServer(new InstanceSpec(null, -1, -1, -1, true, -1, 500, -1, Map.of()), true);
    }

    @AfterAll
    static void stopZooKeeper() throws Exception {
        zk.close();
    }

    @Test
    void failedStartWithZooKeeperClosesEverything() throws Exception {
        failAndCheck(zk.getConnectString());
    }

    @Test
    void failedStartWithoutZooKeeperClosesEverything() throws Exception {
        failAndCheck(null);
    }

    private static void failAndCheck(String zkConnect) throws Exception {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        int framePort = freePort(loopback);
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        try (ServerSocket taken = new ServerSocket(0, 50, loopback)) {
            AgentConfig config = AgentConfig.builder().agentId("start-fails").bindHost("127.0.0.1")
                    .advertiseHost("127.0.0.1").port(framePort).metricsPort(taken.getLocalPort())
                    .zkConnect(zkConnect).workers(2).warmup(false).build();
            assertThatThrownBy(() -> NodeAgent.start(config)).hasMessageContaining("Address already in use");
        }
        // the frame port is free again: the failed start closed its server
        try (ServerSocket again = new ServerSocket()) {
            again.bind(new InetSocketAddress(loopback, framePort));
        }
        // every thread the start made has ended (event loops are non-daemon: a leak keeps a JVM alive)
        long deadline = System.nanoTime() + 5_000_000_000L;
        List<String> left = leftOver(before);
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
            left = leftOver(before);
        }
        assertThat(left).as("threads left by the failed start").isEmpty();
    }

    /**
     * Threads started since {@code before} that are still alive and are the agent's: non-daemon
     * ones (Netty event loops), the agent's own (argus-*), and the ZooKeeper client's.
     */
    private static List<String> leftOver(Set<Thread> before) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> !before.contains(t) && t.isAlive())
                .filter(t -> !t.isDaemon() || t.getName().startsWith("argus-") || t.getName().startsWith("Curator")
                        || t.getName().endsWith("-SendThread(127.0.0.1:" + zk.getPort() + ")")
                        || t.getName().endsWith("-EventThread"))
                .map(t -> t.getName() + (t.isDaemon() ? " (daemon)" : ""))
                .collect(Collectors.toList());
    }

    private static int freePort(InetAddress host) throws Exception {
        try (ServerSocket s = new ServerSocket(0, 50, host)) {
            return s.getLocalPort();
        }
    }
}
