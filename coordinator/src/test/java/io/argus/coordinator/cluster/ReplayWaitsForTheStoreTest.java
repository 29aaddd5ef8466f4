package io.argus.coordinator.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.argus.agent.AgentConfig;
import io.argus.agent.NodeAgent;
import io.argus.agent.record.EventLinkConfig;
import io.argus.cluster.ClusterView;
import io.argus.cluster.ManagedState;
import io.argus.cluster.SourcePolicies;
import io.argus.cluster.SourcePolicy;
import io.argus.cluster.ZkClients;
import io.argus.cluster.ZkPaths;
import io.argus.coordinator.Coordinator;
import io.argus.coordinator.CoordinatorConfig;
import io.argus.protocol.v1.Event;
import io.argus.testing.TestAssets;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 21: a replay segment reads as fast as its agent goes, and its events wait in the agent for
 * the event store, in a queue that drops its oldest past {@code EventLinkConfig.maxQueued}. Here the
 * bound is 6 events and the only coordinator (with the store) is stopped for 10 s in the middle of
 * a replay of vtest.avi: unpaced, the replay would make about a dozen crossings meanwhile, and lose
 * the oldest. It waits instead ("waiting for the event stores" in its status) from 3 events, and
 * goes on once the coordinator is back on the same store and has taken them.
 *
 * <p>The verdict: every crossing and zone event of an uninterrupted run of the file through the
 * agent pipeline in this JVM is stored, with the same ids (the segment's name for the stream's),
 * and so are the totals.
 */
class ReplayWaitsForTheStoreTest {
    static final ObjectMapper JSON = new ObjectMapper();
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void aReplayWaitsWhileItsStoreIsAwayAndLosesNoEvent(@TempDir Path dir) throws Exception {
        Path store = dir.resolve("c");
        try (TestingServer zk = new TestingServer(true);
             NodeAgent agent = NodeAgent.start(AgentConfig.builder().agentId("wait-agent").zkConnect(zk.getConnectString())
                     .workers(1).eventLink(EventLinkConfig.builder().maxQueued(6).build()).build());
             CuratorFramework curator = ZkClients.newClient(zk.getConnectString())) {
            curator.start();
            curator.blockUntilConnected(10, TimeUnit.SECONDS);
            SourcePolicies.write(curator, ZkPaths.defaults(), SourcePolicy.DEFAULT.withMediaRoot(TestAssets.root()));
            ClusterView view = new ClusterView(curator, ZkPaths.defaults()).start();
            Coordinator first = Coordinator.start(config(zk.getConnectString(), "wait-c", store));
            String base = "http://127.0.0.1:" + first.httpPort();
            HttpResponse<String> added = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/streams"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(
                            ReplayedRecordingTest.body(List.of(new long[] {0, 0, 795})))))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(added.statusCode()).as(added.body()).isEqualTo(200);

            // the store away once the replay has stored some crossings
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> first.store().eventCount() >= 2);
            first.close();
            await().atMost(Duration.ofSeconds(20)).until(() -> view.managedStatus("night.seg0")
                    .map(s -> s.state() == ManagedState.RUNNING && String.valueOf(s.lastError()).startsWith("waiting for the event stores"))
                    .orElse(false));
            Thread.sleep(10_000);
            assertThat(view.managedStatus("night.seg0").orElseThrow().state()).as("still waiting").isEqualTo(ManagedState.RUNNING);

            try (Coordinator back = Coordinator.start(config(zk.getConnectString(), "wait-c-restarted", store))) {
                String base2 = "http://127.0.0.1:" + back.httpPort();
                await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
                        .until(() -> json(base2 + "/v1/streams/night.seg0").path("state").asText().equals("finished"));
                Map<String, Event> want = ManagedStreamFaultTest.reference(ReplayedRecordingTest.serialDefinition(), view,
                        Long.MAX_VALUE);
                assertThat(want).as("the reference decides something").isNotEmpty();
                Map<String, JsonNode> stored = new TreeMap<>();
                try {
                    await().atMost(Duration.ofSeconds(30)).until(() -> {
                        stored.clear();
                        for (JsonNode e : json(base2 + "/v1/events?stream=night&limit=10000")) {
                            stored.put(e.path("id").asText().replaceFirst("^night\\.seg0/", "night/"), e);
                        }
                        return stored.size() >= want.size();
                    });
                } catch (org.awaitility.core.ConditionTimeoutException e) {
                    // events lost: the comparison below names them
                }
                assertThat(stored.keySet()).isEqualTo(want.keySet());
                Map<String, Long> totals = new TreeMap<>();
                json(base2 + "/v1/streams/night/totals").path("totals").properties()
                        .forEach(f -> totals.put(f.getKey(), f.getValue().asLong()));
                assertThat(totals).isEqualTo(ManagedStreamFaultTest.lineTotals(want.values())).isNotEmpty();
            }
            view.close();
        }
    }

    static CoordinatorConfig config(String zk, String id, Path dir) {
        return CoordinatorConfig.builder().id(id).zkConnect(zk).httpPort(0).dataDir(dir).minFreeDiskBytes(0).build();
    }

    JsonNode json(String url) throws Exception {
        return JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }
}
