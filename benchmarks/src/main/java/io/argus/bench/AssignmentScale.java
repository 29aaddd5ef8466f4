package io.argus.bench;

import io.argus.coordinator.assign.StreamAssigner;
import io.argus.cluster.AgentInfo;
import io.argus.cluster.AgentLoad;
import io.argus.cluster.AgentPayload;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Assignment at scale, in process: 1,000 agents (1-4 workers), 10,000 streams, then 200 random
 * joins and leaves. Prints the time of the initial placement, and per membership change the
 * median and worst recompute time and streams moved, against the ideal of streams/agents.
 * Usage: {@code java -cp ... io.argus.bench.AssignmentScale [agents] [streams] [events]}.
 */
public final class AssignmentScale {
    public static void main(String[] args) {
        int agents = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int streams = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        int events = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        boolean equal = args.length > 3 && args[3].equals("equal");
        Random rnd = new Random(42);
        List<String> caps = List.of("people", "text", "color");
        List<AgentInfo> live = new ArrayList<>();
        for (int i = 0; i < agents; i++) {
            live.add(agent("agent-" + i, equal ? 2 : 1 + rnd.nextInt(4), caps));
        }
        WORKERS = equal ? 2 : 0;
        for (int warm = 0; warm < 3; warm++) {
            run(live, streams, 0, new Random(1), caps, false);
        }
        run(live, streams, events, rnd, caps, true);
    }

    static void run(List<AgentInfo> start, int streams, int events, Random rnd, List<String> caps, boolean print) {
        List<AgentInfo> live = new ArrayList<>(start);
        StreamAssigner a = new StreamAssigner();
        long t0 = System.nanoTime();
        a.syncAgents(live);
        for (int s = 0; s < streams; s++) {
            a.putStream(new StreamAssigner.StreamNeed("stream-" + s, Set.of("people")));
        }
        double initialMs = (System.nanoTime() - t0) / 1e6;
        List<Double> times = new ArrayList<>();
        List<Integer> moved = new ArrayList<>();
        int next = live.size();
        for (int e = 0; e < events; e++) {
            Map<String, String> before = new HashMap<>(a.assignments());
            if (rnd.nextBoolean()) {
                live.add(agent("agent-" + next++, WORKERS > 0 ? WORKERS : 1 + rnd.nextInt(4), caps));
            } else {
                live.remove(rnd.nextInt(live.size()));
            }
            long t = System.nanoTime();
            a.syncAgents(live);
            times.add((System.nanoTime() - t) / 1e6);
            Map<String, String> after = a.assignments();
            int m = 0;
            for (var x : before.entrySet()) {
                if (!x.getValue().equals(after.get(x.getKey()))) {
                    m++;
                }
            }
            moved.add(m);
        }
        if (!print) {
            return;
        }
        times.sort(Double::compare);
        List<Integer> ms = new ArrayList<>(moved);
        ms.sort(Integer::compare);
        double ideal = (double) streams / live.size();
        System.out.printf("initial placement of %d streams over %d agents: %.1f ms%n", streams, start.size(), initialMs);
        System.out.printf("per join/leave (%d events): recompute median %.2f ms, max %.2f ms; streams moved median %d, max %d"
                + " (streams/agents = %.1f, 1.2x = %.1f; weights 1-4 make the leaver's share vary)%n", times.size(),
                times.get(times.size() / 2), times.get(times.size() - 1), ms.get(ms.size() / 2), ms.get(ms.size() - 1),
                ideal, 1.2 * ideal);
    }

    static int WORKERS;

    static AgentInfo agent(String id, int workers, List<String> caps) {
        return new AgentInfo(id, new AgentPayload("10.0.0.1", 7000, -1, 1, caps, workers, workers, AgentLoad.IDLE, 0, 0,
                false, "bench"));
    }
}
