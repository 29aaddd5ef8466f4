package io.argus.coordinator.liveness;

import io.argus.cluster.AgentDirectory;
import io.argus.cluster.AgentInfo;
import io.argus.cluster.AgentLoad;
import io.argus.cluster.AgentPayload;
import io.argus.cluster.ZkClients;
import io.argus.cluster.ZkPaths;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.apache.curator.x.discovery.ServiceDiscovery;
import org.apache.curator.x.discovery.ServiceDiscoveryBuilder;
import org.apache.curator.x.discovery.ServiceInstance;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The crash verdict on real sockets and a real ZooKeeper: only a registered agent whose port
 * refuses connections is declared crashed; one that still answers is not; and a restart under the
 * same name (a new registration) is never excluded by its predecessor's verdict.
 */
class CrashDetectorTest {

    @Test
    void onlyARefusedPortOfTheSameRegistrationIsACrash() throws Exception {
        try (TestingServer zk = new TestingServer(true);
             CuratorFramework curator = ZkClients.newClient(zk.getConnectString())) {
            curator.start();
            ZkPaths paths = ZkPaths.defaults();
            ServiceDiscovery<AgentPayload> discovery = ServiceDiscoveryBuilder.builder(AgentPayload.class).client(curator)
                    .basePath(paths.agents()).serializer(AgentDirectory.serializer()).build();
            discovery.start();
            AgentDirectory directory = new AgentDirectory(curator, paths).start();
            CrashDetector detector = new CrashDetector(directory, new SimpleMeterRegistry());
            AtomicInteger verdicts = new AtomicInteger();
            detector.addListener(verdicts::incrementAndGet);
            try (ServerSocket live = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
                ServiceInstance<AgentPayload> first = register(discovery, "ag", live.getLocalPort(), 1_000);
                await().atMost(Duration.ofSeconds(5)).until(() -> directory.agents().size() == 1);
                AgentInfo a = directory.agents().get(0);

                // the link dropped but the agent answers: no verdict
                detector.linkLost("ag");
                Thread.sleep(300);
                assertThat(detector.crashed(a)).isFalse();
                assertThat(verdicts).hasValue(0);

                // an unknown id (a console that spoke to the event port) is ignored
                detector.linkLost("someone-else");

                // the link closes while the dying process's port still answers for a moment: the
                // re-checks see it refuse
                detector.linkLost("ag");
                Thread.sleep(50);
                assertThat(detector.crashed(a)).isFalse();
                live.close();
                await().atMost(Duration.ofSeconds(5)).until(() -> detector.crashed(a));
                assertThat(verdicts).hasValue(1);

                // and once more, simply refused (same registration: one verdict, counted once)
                detector.linkLost("ag");
                Thread.sleep(300);
                assertThat(detector.crashed(a)).isTrue();
                assertThat(verdicts).hasValue(1);

                // restarted under the same name (new port, new start time): not excluded
                discovery.unregisterService(first);
                try (ServerSocket again = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
                    register(discovery, "ag", again.getLocalPort(), 2_000);
                    await().atMost(Duration.ofSeconds(5)).until(() -> directory.agents().size() == 1
                            && directory.agents().get(0).payload().startedAtMs() == 2_000);
                    AgentInfo b = directory.agents().get(0);
                    assertThat(detector.crashed(b)).isFalse();
                }
            } finally {
                detector.close();
                directory.close();
                discovery.close();
            }
        }
    }

    private static ServiceInstance<AgentPayload> register(ServiceDiscovery<AgentPayload> d, String id, int port,
                                                          long startedAt) throws Exception {
        AgentPayload p = new AgentPayload("127.0.0.1", port, 0, 1, List.of("noop"), 1, 10, AgentLoad.IDLE,
                startedAt, startedAt, false, "test");
        ServiceInstance<AgentPayload> i = ServiceInstance.<AgentPayload>builder().name(ZkPaths.AGENT_SERVICE).id(id)
                .address("127.0.0.1").port(port).payload(p).build();
        d.registerService(i);
        return i;
    }
}
