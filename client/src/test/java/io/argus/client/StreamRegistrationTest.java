package io.argus.client;

import io.argus.cluster.ClusterJson;
import io.argus.cluster.StreamDefinition;
import io.argus.cluster.ZkClients;
import io.argus.cluster.ZkPaths;
import io.argus.protocol.v1.TaskRequest;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.nodes.PersistentNode;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A client-fed stream's node in real ZooKeeper: there while the session streams, with the tasks
 * the coordinator places it by; gone when it closes; and a managed stream's name is refused.
 */
class StreamRegistrationTest {
    @Test
    void theStreamIsRegisteredWhileOpenAndAManagedStreamsNameIsRefused() throws Exception {
        ZkPaths paths = ZkPaths.defaults();
        try (TestingServer zk = new TestingServer(true);
             CuratorFramework admin = ZkClients.newClient(zk.getConnectString());
             ArgusClient client = ArgusClient.connect(zk.getConnectString(), "reg-test")) {
            admin.start();
            StreamSpec spec = StreamSpec.builder("door").tasks(List.of(TaskRequest.newBuilder().setName("people")
                    .putParams("lines", "mid:10,0,10,20").build())).build();
            PersistentNode node = StreamRegistration.register(client, spec);
            await().atMost(Duration.ofSeconds(10)).until(() -> admin.checkExists().forPath(paths.stream("door")) != null);
            StreamDefinition def = ClusterJson.read(admin.getData().forPath(paths.stream("door")), StreamDefinition.class);
            assertThat(def.managed()).isFalse();
            assertThat(def.tasks()).extracting(StreamDefinition.TaskSpec::name).containsExactly("people");
            node.close();
            await().atMost(Duration.ofSeconds(10)).until(() -> admin.checkExists().forPath(paths.stream("door")) == null);

            StreamDefinition lobby = new StreamDefinition("lobby", "ops", StreamDefinition.MANAGED,
                    List.of(new StreamDefinition.TaskSpec("color", Map.of())), "/tmp/x.avi", true, 0, 0, 0);
            admin.create().creatingParentsIfNeeded().forPath(paths.stream("lobby"), ClusterJson.write(lobby));
            await().atMost(Duration.ofSeconds(10)).until(() -> client.view().stream("lobby").isPresent());
            StreamSpec clash = StreamSpec.builder("lobby").tasks(List.of(TaskRequest.newBuilder().setName("color").build()))
                    .build();
            assertThatThrownBy(() -> StreamRegistration.register(client, clash))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("managed stream");
        }
    }
}
