package io.argus.coordinator.mqtt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.argus.agent.NodeAgent;
import io.argus.agent.AgentConfig;
import io.argus.agent.record.CoordinatorLink;
import io.argus.cluster.ClusterView;
import io.argus.cluster.ZkClients;
import io.argus.cluster.ZkPaths;
import io.argus.coordinator.Coordinator;
import io.argus.coordinator.CoordinatorConfig;
import io.argus.protocol.v1.Event;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 18 part 2 against a real Mosquitto broker, real coordinators (ZooKeeper, leader election,
 * event link, H2 store) and a real Paho subscriber: each event once on the events topic although
 * every coordinator stores it and batches come twice, retained counts, Home Assistant discovery,
 * a standby that publishes nothing, and a broker that is down at start.
 */
class MqttPublishingTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Crossings of line "door" on stream "door", directions alternating in, out. */
    static List<Event> crossings(int from, int n) {
        List<Event> out = new ArrayList<>();
        for (int i = from; i < from + n; i++) {
            out.add(Event.newBuilder().setId("people:door:" + i).setType("crossing").setStreamId("door").setSourceIndex(i)
                    .setTimeUs(1_000_000L * (i + 1)).putAttributes("line", "door")
                    .putAttributes("direction", i % 2 == 0 ? "in" : "out").build());
        }
        return out;
    }

    /** Two people enter zone "hall" of stream "door" and one leaves. */
    static List<Event> zoneChanges() {
        List<Event> out = new ArrayList<>();
        String[] types = {"zone_enter", "zone_enter", "zone_exit"};
        long[] tracks = {1, 2, 1};
        for (int i = 0; i < types.length; i++) {
            out.add(Event.newBuilder().setId("people:zone:" + i).setType(types[i]).setStreamId("door").setSourceIndex(100 + i)
                    .setTimeUs(100_000_000L + i).putAttributes("zone", "hall")
                    .putAttributes("track", Long.toString(tracks[i])).build());
        }
        return out;
    }

    static CoordinatorConfig config(String zk, String id, Path dir, MqttConfig mqtt) {
        return CoordinatorConfig.builder().id(id).zkConnect(zk).httpPort(0).dataDir(dir).sessionTimeoutMs(4_000)
                .minFreeDiskBytes(0).mqtt(mqtt).build();
    }

    @Test
    void theLeaderPublishesEachNewEventOnceWithRetainedCountsAndDiscovery(@TempDir Path dir) throws Exception {
        try (MosquittoBroker broker = new MosquittoBroker(dir.resolve("broker")).start();
             TestingServer zk = new TestingServer(true);
             MqttSubscriber live = new MqttSubscriber(broker.url(), "test-live", false, "argus/events", "homeassistant/#")) {
            MqttConfig mqtt = MqttConfig.builder().url(broker.url()).build();
            try (Coordinator c1 = Coordinator.start(config(zk.getConnectString(), "c1", dir.resolve("c1"), mqtt));
                 Coordinator c2 = Coordinator.start(config(zk.getConnectString(), "c2", dir.resolve("c2"), mqtt));
                 CuratorFramework curator = ZkClients.newClient(zk.getConnectString())) {
                curator.start();
                curator.blockUntilConnected(10, TimeUnit.SECONDS);
                await().atMost(20, TimeUnit.SECONDS).until(() -> c1.isLeader() || c2.isLeader());
                Coordinator leader = c1.isLeader() ? c1 : c2;
                Coordinator standby = leader == c1 ? c2 : c1;
                try (ClusterView view = new ClusterView(curator, new ZkPaths(ZkPaths.DEFAULT_ROOT)).start();
                     CoordinatorLink link = new CoordinatorLink(view, "agent-1", "", new SimpleMeterRegistry(), null)) {
                    await().atMost(10, TimeUnit.SECONDS).until(() -> view.coordinators().size() == 2);
                    // every coordinator gets every event, and all of them twice: as after lost acknowledgements
                    link.publish(crossings(0, 10));
                    await().atMost(20, TimeUnit.SECONDS).until(() -> c1.store().eventCount() == 10
                            && c2.store().eventCount() == 10);
                    link.publish(crossings(0, 10));
                    await().atMost(20, TimeUnit.SECONDS).until(() -> metric(c1, "argus_coordinator_events_duplicates_total", "") == 10
                            && metric(c2, "argus_coordinator_events_duplicates_total", "") == 10);
                    link.publish(zoneChanges());
                    // a last event: the publisher and the broker keep order, so once it is here all before it are
                    link.publish(crossings(10, 1));
                    await().atMost(20, TimeUnit.SECONDS).until(() -> live.on("argus/events").stream()
                            .anyMatch(r -> r.payload().contains("people:door:10")));
                }
                List<MqttSubscriber.Received> events = live.on("argus/events");
                List<String> ids = new ArrayList<>();
                for (MqttSubscriber.Received r : events) {
                    JsonNode n = JSON.readTree(r.payload());
                    if (n.get("type").asText().startsWith("zone_")) {
                        ids.add(n.get("id").asText());
                    } else if (n.get("type").asText().equals("crossing")) {
                        ids.add(n.get("id").asText());
                        assertThat(n.get("stream").asText()).isEqualTo("door");
                        assertThat(n.get("attributes").get("line").asText()).isEqualTo("door");
                    }
                }
                List<String> expected = new ArrayList<>(crossings(0, 10).stream().map(Event::getId).toList());
                expected.addAll(zoneChanges().stream().map(Event::getId).toList());
                expected.add("people:door:10");
                assertThat(ids).containsExactlyElementsOf(expected);
                assertThat(metric(standby, "argus_mqtt_published_total", "")).isZero();
                assertThat(metric(leader, "argus_mqtt_published_total", "")).isPositive();

                // a subscriber that comes later gets the current counts: they are retained
                await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> {
                    try (MqttSubscriber later = new MqttSubscriber(broker.url(), "test-later", false, "argus/door/line/#",
                            "argus/door/zone/#", "argus/available")) {
                        await().atMost(5, TimeUnit.SECONDS).until(() -> later.received().size() >= 4);
                        assertThat(later.on("argus/door/zone/hall")).singleElement()
                                .satisfies(r -> assertThat(r.retained()).isTrue())
                                .satisfies(r -> assertThat(r.payload()).isEqualTo("1"));
                        assertThat(later.on("argus/door/line/door/in")).singleElement()
                                .satisfies(r -> assertThat(r.retained()).isTrue())
                                .satisfies(r -> assertThat(r.payload()).isEqualTo("6"));
                        assertThat(later.on("argus/door/line/door/out")).singleElement()
                                .satisfies(r -> assertThat(r.payload()).isEqualTo("5"));
                        assertThat(later.on("argus/available")).singleElement()
                                .satisfies(r -> assertThat(r.payload()).isEqualTo("online"));
                    }
                });

                List<MqttSubscriber.Received> zone = live.on("homeassistant/sensor/argus/door_zone_hall/config");
                assertThat(zone).isNotEmpty();
                assertThat(JSON.readTree(zone.get(0).payload()).get("state_topic").asText()).isEqualTo("argus/door/zone/hall");
                // Home Assistant discovery: a sensor per line direction, reading the count topic
                for (String direction : List.of("in", "out")) {
                    List<MqttSubscriber.Received> config = live.on("homeassistant/sensor/argus/door_door_" + direction + "/config");
                    assertThat(config).isNotEmpty();
                    JsonNode n = JSON.readTree(config.get(0).payload());
                    assertThat(n.get("state_topic").asText()).isEqualTo("argus/door/line/door/" + direction);
                    assertThat(n.get("unique_id").asText()).isEqualTo("argus_door_door_" + direction);
                    assertThat(n.get("availability_topic").asText()).isEqualTo("argus/available");
                    assertThat(n.get("state_class").asText()).isEqualTo("total_increasing");
                    assertThat(n.get("device").get("identifiers").get(0).asText()).isEqualTo("argus_door");
                }
            }
        }
    }

    @Test
    void aBrokerDownAtStartGetsTheBoundedBacklogWhenItComesUp(@TempDir Path dir) throws Exception {
        MosquittoBroker broker = new MosquittoBroker(dir.resolve("broker"));
        try (broker; TestingServer zk = new TestingServer(true)) {
            // a persistent session made while the broker was up keeps what is published while this client is away
            broker.start();
            new MqttSubscriber(broker.url(), "test-backlog", true, "argus/events").disconnect();
            broker.stop();

            MqttConfig mqtt = MqttConfig.builder().url(broker.url()).queueCapacity(5).reconnectInitialMs(50)
                    .reconnectMaxMs(200).discovery(false).build();
            try (Coordinator c = Coordinator.start(config(zk.getConnectString(), "c1", dir.resolve("c1"), mqtt));
                 CuratorFramework curator = ZkClients.newClient(zk.getConnectString())) {
                curator.start();
                curator.blockUntilConnected(10, TimeUnit.SECONDS);
                await().atMost(20, TimeUnit.SECONDS).until(c::isLeader);
                try (ClusterView view = new ClusterView(curator, new ZkPaths(ZkPaths.DEFAULT_ROOT)).start();
                     CoordinatorLink link = new CoordinatorLink(view, "agent-1", "", new SimpleMeterRegistry(), null)) {
                    await().atMost(10, TimeUnit.SECONDS).until(() -> view.coordinators().size() == 1);
                    link.publish(crossings(0, 8));
                    await().atMost(20, TimeUnit.SECONDS).until(() -> c.store().eventCount() == 8);
                    // ingest went on without the broker; five wait, three were over the bound
                    await().atMost(10, TimeUnit.SECONDS).until(() -> metric(c, "argus_mqtt_dropped_total", "reason=\"queue_full\"") == 3);
                    assertThat(metric(c, "argus_mqtt_queue", "")).isEqualTo(5);
                    assertThat(metric(c, "argus_mqtt_connect_failures_total", "")).isPositive();
                    assertThat(metric(c, "argus_mqtt_published_total", "")).isZero();

                    broker.start();
                    try (MqttSubscriber back = new MqttSubscriber(broker.url(), "test-backlog", true, "argus/events")) {
                        // the backlog goes first; an event that arrived while the five still waited would be
                        // over the bound too (the publisher reconnects within reconnectMaxMs, not at once)
                        await().atMost(30, TimeUnit.SECONDS).until(() -> metric(c, "argus_mqtt_queue", "") == 0);
                        link.publish(crossings(8, 1));
                        await().atMost(30, TimeUnit.SECONDS).until(() -> back.on("argus/events").stream()
                                .anyMatch(r -> r.payload().contains("people:door:8")));
                        List<String> ids = new ArrayList<>();
                        for (MqttSubscriber.Received r : back.on("argus/events")) {
                            ids.add(JSON.readTree(r.payload()).get("id").asText());
                        }
                        assertThat(ids).containsExactly("people:door:0", "people:door:1", "people:door:2",
                                "people:door:3", "people:door:4", "people:door:8");
                        assertThat(metric(c, "argus_mqtt_queue", "")).isZero();
                        assertThat(metric(c, "argus_mqtt_dropped_total", "reason=\"queue_full\"")).isEqualTo(3);
                    }
                }
            }
        }
    }

    @Test
    void whenTheLeaderGoesTheStandbyPublishesFromThenOn(@TempDir Path dir) throws Exception {
        try (MosquittoBroker broker = new MosquittoBroker(dir.resolve("broker")).start();
             TestingServer zk = new TestingServer(true);
             MqttSubscriber live = new MqttSubscriber(broker.url(), "test-live", false, "argus/events", "argus/door/zone/#");
             CuratorFramework curator = ZkClients.newClient(zk.getConnectString())) {
            curator.start();
            curator.blockUntilConnected(10, TimeUnit.SECONDS);
            MqttConfig mqtt = MqttConfig.builder().url(broker.url()).reconnectInitialMs(50).reconnectMaxMs(200).build();
            Coordinator c1 = Coordinator.start(config(zk.getConnectString(), "c1", dir.resolve("c1"), mqtt));
            Coordinator c2 = Coordinator.start(config(zk.getConnectString(), "c2", dir.resolve("c2"), mqtt));
            Coordinator leader = null;
            Coordinator standby = null;
            try (ClusterView view = new ClusterView(curator, new ZkPaths(ZkPaths.DEFAULT_ROOT)).start();
                 CoordinatorLink link = new CoordinatorLink(view, "agent-1", "", new SimpleMeterRegistry(), null)) {
                await().atMost(20, TimeUnit.SECONDS).until(() -> c1.isLeader() || c2.isLeader());
                leader = c1.isLeader() ? c1 : c2;
                standby = leader == c1 ? c2 : c1;
                await().atMost(10, TimeUnit.SECONDS).until(() -> view.coordinators().size() == 2);
                link.publish(crossings(0, 3));
                link.publish(zoneChanges()); // two in the hall, one left: 1
                await().atMost(20, TimeUnit.SECONDS).until(() -> live.on("argus/events").size() == 6);
                await().atMost(10, TimeUnit.SECONDS).until(() -> !live.on("argus/door/zone/hall").isEmpty()
                        && last(live, "argus/door/zone/hall").equals("1"));
                int zoneMessages = live.on("argus/door/zone/hall").size();

                leader.close();
                leader = null;
                Coordinator next = standby;
                await().atMost(20, TimeUnit.SECONDS).until(next::isLeader);
                await().atMost(10, TimeUnit.SECONDS).until(() -> view.coordinators().size() == 1);
                // the new leader publishes the whole state as it takes over, from its store, before any new event
                await().atMost(20, TimeUnit.SECONDS).until(() -> live.on("argus/door/zone/hall").size() > zoneMessages);
                assertThat(last(live, "argus/door/zone/hall")).isEqualTo("1");
                // and counts on from there: a third person enters, 2 (it used to start from 0 and say 1)
                link.publish(List.of(Event.newBuilder().setId("people:zone:3").setType("zone_enter").setStreamId("door")
                        .setSourceIndex(103).setTimeUs(100_000_003L).putAttributes("zone", "hall").putAttributes("track", "3")
                        .build()));
                await().atMost(20, TimeUnit.SECONDS).until(() -> last(live, "argus/door/zone/hall").equals("2"));
                link.publish(crossings(3, 2));
                await().atMost(20, TimeUnit.SECONDS).until(() -> live.on("argus/events").stream()
                        .anyMatch(r -> r.payload().contains("people:door:4")));
                List<String> ids = new ArrayList<>();
                for (MqttSubscriber.Received r : live.on("argus/events")) {
                    ids.add(JSON.readTree(r.payload()).get("id").asText());
                }
                assertThat(ids).containsSubsequence(crossings(0, 5).stream().map(Event::getId).toList());
                assertThat(ids).hasSize(5 + zoneChanges().size() + 1).doesNotHaveDuplicates();
                // the old leader said offline as it left, the new one online after it
                await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> {
                    try (MqttSubscriber later = new MqttSubscriber(broker.url(), "test-later", false, "argus/available")) {
                        await().atMost(5, TimeUnit.SECONDS).until(() -> !later.received().isEmpty());
                        assertThat(later.received().get(0).payload()).isEqualTo("online");
                    }
                });
            } finally {
                if (leader != null) {
                    leader.close();
                }
                if (standby != null) {
                    standby.close();
                } else {
                    c1.close();
                    c2.close();
                }
            }
        }
    }

    static String last(MqttSubscriber s, String topic) {
        List<MqttSubscriber.Received> on = s.on(topic);
        return on.isEmpty() ? "" : on.get(on.size() - 1).payload();
    }

    /**
     * Agents coming and going reach MQTT: {@code agent_up}/{@code agent_down} on the events topic
     * and the retained {@code argus/available/AGENT}, with a real agent registering in ZooKeeper
     * and stopping.
     */
    @Test
    void agentsComingAndGoingArePublished(@TempDir Path dir) throws Exception {
        try (MosquittoBroker broker = new MosquittoBroker(dir.resolve("broker")).start();
             TestingServer zk = new TestingServer(true);
             MqttSubscriber live = new MqttSubscriber(broker.url(), "test-live", false, "argus/events", "argus/available/#")) {
            MqttConfig mqtt = MqttConfig.builder().url(broker.url()).build();
            try (Coordinator c = Coordinator.start(config(zk.getConnectString(), "c1", dir.resolve("c1"), mqtt))) {
                await().atMost(20, TimeUnit.SECONDS).until(c::isLeader);
                await().atMost(10, TimeUnit.SECONDS).until(() -> last(live, "argus/available").equals("online"));
                NodeAgent agent = NodeAgent.start(AgentConfig.builder().zkConnect(zk.getConnectString()).bindHost("127.0.0.1")
                        .advertiseHost("127.0.0.1").workers(1).disabledTasks(List.of("text")).agentId("mq-agent").build());
                try {
                    await().atMost(20, TimeUnit.SECONDS).until(() -> last(live, "argus/available/mq-agent").equals("online"));
                } finally {
                    agent.close();
                }
                await().atMost(30, TimeUnit.SECONDS).until(() -> last(live, "argus/available/mq-agent").equals("offline"));
                List<String> types = new ArrayList<>();
                for (MqttSubscriber.Received r : live.on("argus/events")) {
                    JsonNode n = JSON.readTree(r.payload());
                    if (n.path("agent").asText().equals("mq-agent") && n.get("type").asText().startsWith("agent_")) {
                        types.add(n.get("type").asText());
                    }
                }
                assertThat(types).containsExactly("agent_up", "agent_down");
                // retained: a subscriber that comes later learns it too
                try (MqttSubscriber later = new MqttSubscriber(broker.url(), "test-later", false, "argus/available/#")) {
                    await().atMost(5, TimeUnit.SECONDS).until(() -> last(later, "argus/available/mq-agent").equals("offline"));
                }
            }
        }
    }

    /** A sample from the coordinator's Prometheus endpoint, the name and a label fragment to match; 0 if absent. */
    static double metric(Coordinator c, String name, String label) throws Exception {
        String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + c.httpPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*})? (\\S+)$").matcher(body);
        while (m.find()) {
            if (m.group(1) == null ? label.isEmpty() : m.group(1).contains(label)) {
                return Double.parseDouble(m.group(2));
            }
        }
        return 0;
    }
}
