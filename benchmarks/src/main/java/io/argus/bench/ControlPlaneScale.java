package io.argus.bench;

import io.argus.cluster.embedded.EmbeddedZooKeeper;
import io.argus.coordinator.Coordinator;
import io.argus.coordinator.CoordinatorConfig;
import io.argus.coordinator.assign.AssignmentService;
import io.argus.cluster.AgentDirectory;
import io.argus.cluster.AgentLoad;
import io.argus.cluster.AgentPayload;
import io.argus.cluster.Assignment;
import io.argus.cluster.ClusterJson;
import io.argus.cluster.ClusterView;
import io.argus.cluster.StreamDefinition;
import io.argus.cluster.ZkClients;
import io.argus.cluster.ZkPaths;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.curator.x.discovery.ServiceDiscovery;
import org.apache.curator.x.discovery.ServiceDiscoveryBuilder;
import org.apache.curator.x.discovery.ServiceInstance;
import org.apache.curator.x.discovery.ServiceType;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The control plane at scale, for real: an embedded ZooKeeper, a real coordinator (leader), AGENTS
 * agent registrations in service discovery (spread over CLIENTS ZooKeeper sessions, as agents on
 * that many machines would hold them), STREAMS stream registrations, then EVENTS random agent joins
 * and leaves. A second ZooKeeper session follows the assignments exactly as clients do
 * ({@link ClusterView}, a CuratorCache).
 *
 * <p>Per event it records: the coordinator's placement time, the assignment operations and
 * ZooKeeper transactions it wrote, the streams that moved (as the follower saw them), and how long
 * the follower took to see the last of them (from the membership write to the follower's last
 * change, quiet for {@code QUIET_MS} afterwards). Then the load refresh that live agents do: every
 * agent rewrites its payload every 2 s, for 20 s, with the CPU each part of the process spends
 * on it (thread CPU time by thread group).
 *
 * <p>Usage: {@code java -cp argus-benchmarks.jar io.argus.bench.ControlPlaneScale [AGENTS] [STREAMS]
 * [EVENTS] [CLIENTS]} (defaults 1000 10000 100 10).
 *
 * <p>It stays one class of about 300 lines on purpose: it is one scripted run (set up, membership
 * events, load refresh, report) that reads top to bottom, with no callers and nothing in it that
 * another benchmark reuses.
 */
public final class ControlPlaneScale {
    static final long QUIET_MS = 500;
    static final List<String> CAPS = List.of("noop", "color", "faces", "people", "text", "mosaic", "stitch", "annotate");

    public static void main(String[] args) throws Exception {
        int agents = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int streams = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        int events = args.length > 2 ? Integer.parseInt(args[2]) : 100;
        int clients = args.length > 3 ? Integer.parseInt(args[3]) : 10;
        Random rnd = new Random(42);
        ZkPaths paths = ZkPaths.defaults();
        Path dir = Files.createTempDirectory("argus-scale");
        try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start();
             Coordinator coordinator = Coordinator.start(CoordinatorConfig.builder().id("scale").zkConnect(zk.connectString())
                     .httpPort(0).dataDir(dir).build());
             CuratorFramework writer = ZkClients.newClient(zk.connectString());
             CuratorFramework follower = ZkClients.newClient(zk.connectString())) {
            writer.start();
            follower.start();
            writer.blockUntilConnected(10, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!coordinator.isLeader() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            List<CuratorFramework> sessions = new ArrayList<>();
            List<ServiceDiscovery<AgentPayload>> discoveries = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                CuratorFramework c = ZkClients.newClient(zk.connectString());
                c.start();
                c.blockUntilConnected(10, TimeUnit.SECONDS);
                ServiceDiscovery<AgentPayload> d = ServiceDiscoveryBuilder.builder(AgentPayload.class).client(c)
                        .basePath(paths.agents()).serializer(AgentDirectory.serializer()).watchInstances(false).build();
                d.start();
                sessions.add(c);
                discoveries.add(d);
            }
            ClusterView view = new ClusterView(follower, paths).start();
            AtomicLong lastChange = new AtomicLong(System.nanoTime());
            view.addListener(() -> lastChange.set(System.nanoTime()));

            // agents
            Map<String, Registered> live = new HashMap<>();
            long t0 = System.nanoTime();
            int nextId = 0;
            for (; nextId < agents; nextId++) {
                Registered r = register(discoveries.get(nextId % clients), "agent-" + nextId, 1 + rnd.nextInt(4));
                live.put(r.id, r);
            }
            double registerMs = (System.nanoTime() - t0) / 1e6;

            // streams, in transactions as a registration service would batch them
            AssignmentService assign = coordinator.assignments();
            long ops0 = assign.operationsWritten();
            long tx0 = assign.transactionsWritten();
            t0 = System.nanoTime();
            byte[] def = null;
            List<CuratorOp> batch = new ArrayList<>();
            if (writer.checkExists().forPath(paths.streams()) == null) {
                writer.create().creatingParentsIfNeeded().forPath(paths.streams());
            }
            for (int s = 0; s < streams; s++) {
                def = ClusterJson.write(new StreamDefinition("stream-" + s, "scale", StreamDefinition.CLIENT,
                        List.of(new StreamDefinition.TaskSpec("people", Map.of())), null, false,
                        System.currentTimeMillis(), 0, 0));
                batch.add(writer.transactionOp().create().forPath(paths.stream("stream-" + s), def));
                if (batch.size() == 500 || s == streams - 1) {
                    writer.transaction().forOperations(batch);
                    batch.clear();
                }
            }
            while (view.assignments().size() < streams) {
                Thread.sleep(20);
            }
            double initialMs = (System.nanoTime() - t0) / 1e6;
            waitQuiet(lastChange);
            System.out.printf("%d agents registered over %d sessions in %.0f ms; %d streams registered and all assigned"
                            + " in %.0f ms (seen by a following client); %d assignment writes in %d transactions%n",
                    agents, clients, registerMs, streams, initialMs, assign.operationsWritten() - ops0,
                    assign.transactionsWritten() - tx0);

            // membership events
            List<Double> computeMs = new ArrayList<>();
            List<Double> followMs = new ArrayList<>();
            List<Double> moved = new ArrayList<>();
            List<Double> opsPer = new ArrayList<>();
            List<Double> txPer = new ArrayList<>();
            for (int e = 0; e < events; e++) {
                Map<String, String> before = owners(view);
                long opsBefore = assign.operationsWritten();
                long txBefore = assign.transactionsWritten();
                long passesBefore = assign.passes();
                String leaving = null;
                long start = System.nanoTime();
                if (rnd.nextBoolean() || live.size() < 2) {
                    Registered r = register(discoveries.get(nextId % clients), "agent-" + nextId, 1 + rnd.nextInt(4));
                    nextId++;
                    live.put(r.id, r);
                } else {
                    List<String> ids = new ArrayList<>(live.keySet());
                    Registered r = Objects.requireNonNull(live.remove(ids.get(rnd.nextInt(ids.size()))));
                    r.discovery.unregisterService(r.instance);
                    leaving = r.id;
                }
                // done when the coordinator has computed for this change, nothing points at a
                // leaver, and the follower has been quiet for a while
                long limit = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (System.nanoTime() < limit) {
                    boolean computed = assign.passes() > passesBefore;
                    String gone = leaving;
                    boolean clean = gone == null || view.assignments().values().stream().noneMatch(a -> a.agent().equals(gone));
                    if (computed && clean && System.nanoTime() - lastChange.get() > TimeUnit.MILLISECONDS.toNanos(QUIET_MS)
                            && System.nanoTime() - start > TimeUnit.MILLISECONDS.toNanos(QUIET_MS)) {
                        break;
                    }
                    Thread.sleep(5);
                }
                Map<String, String> after = owners(view);
                int m = 0;
                for (Map.Entry<String, String> x : before.entrySet()) {
                    if (!x.getValue().equals(after.get(x.getKey()))) {
                        m++;
                    }
                }
                long ops = assign.operationsWritten() - opsBefore;
                moved.add((double) m);
                opsPer.add((double) ops);
                txPer.add((double) (assign.transactionsWritten() - txBefore));
                computeMs.add(assign.lastComputeNanos() / 1e6);
                followMs.add(m == 0 ? 0 : Math.max(0, (lastChange.get() - start) / 1e6));
            }
            double ideal = (double) streams / live.size();
            System.out.printf("%d membership events (%d agents at the end, streams/agents = %.1f):%n", events, live.size(), ideal);
            print("placement compute (ms)", computeMs);
            print("streams moved", moved);
            print("assignment writes (ZooKeeper ops)", opsPer);
            print("ZooKeeper transactions", txPer);
            print("client follow time (ms)", followMs);
            System.out.println("(plus one ZooKeeper write per event for the agent's own registration node)");

            loadRefresh(new ArrayList<>(live.values()), assign, 20);
            view.close();
            for (ServiceDiscovery<AgentPayload> d : discoveries) {
                d.close();
            }
            sessions.forEach(CuratorFramework::close);
        }
    }

    /** Every agent rewrites its payload every 2 s for {@code seconds}, as live agents do. */
    static void loadRefresh(List<Registered> agents, AssignmentService assign, int seconds) throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<String, Long> cpu0 = cpuByGroup(threads);
        long wall0 = System.nanoTime();
        long passes0 = assign.passes();
        long ops0 = assign.operationsWritten();
        int writes = 0;
        long periodNanos = TimeUnit.SECONDS.toNanos(2) / agents.size();
        long next = System.nanoTime();
        long end = next + TimeUnit.SECONDS.toNanos(seconds);
        int i = 0;
        while (System.nanoTime() < end) {
            Registered r = agents.get(i++ % agents.size());
            AgentPayload p = r.instance.getPayload();
            ServiceInstance<AgentPayload> updated = ServiceInstance.<AgentPayload>builder().name(ZkPaths.AGENT_SERVICE)
                    .id(r.id).address(p.host()).port(p.port()).serviceType(ServiceType.DYNAMIC)
                    .registrationTimeUTC(r.instance.getRegistrationTimeUTC())
                    .payload(p.withLoad(new AgentLoad(i % 3, i % 4, 10 + i % 7, 0.5, 10, 0.4), System.currentTimeMillis()))
                    .build();
            r.discovery.updateService(updated);
            r.instance = updated;
            writes++;
            next += periodNanos;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
        }
        double wallS = (System.nanoTime() - wall0) / 1e9;
        Map<String, Long> cpu1 = cpuByGroup(threads);
        System.out.printf("load refresh: %d payload writes in %.1f s (%.0f/s, every agent every 2 s); the coordinator ran"
                        + " %d placement passes and wrote %d assignment changes meanwhile%n", writes, wallS, writes / wallS,
                assign.passes() - passes0, assign.operationsWritten() - ops0);
        System.out.printf("CPU while refreshing, by thread group (%% of one core):%n");
        Map<String, Long> delta = new TreeMap<>();
        cpu1.forEach((k, v) -> delta.put(k, v - cpu0.getOrDefault(k, 0L)));
        delta.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).limit(10)
                .forEach(e -> System.out.printf("  %5.1f%%  %s%n", 100.0 * e.getValue() / (wallS * 1e9), e.getKey()));
    }

    /** Thread CPU time, summed by the thread name without its trailing numbers. */
    static Map<String, Long> cpuByGroup(ThreadMXBean threads) {
        Map<String, Long> out = new HashMap<>();
        for (long id : threads.getAllThreadIds()) {
            ThreadInfo info = threads.getThreadInfo(id);
            long t = threads.getThreadCpuTime(id);
            if (info == null || t < 0) {
                continue;
            }
            String group = info.getThreadName().replaceAll("[-_ ]?\\d+$", "").replaceAll("\\(.*\\)", "()")
                    .replaceAll("0x[0-9a-f]+", "");
            out.merge(group, t, Long::sum);
        }
        return out;
    }

    static final class Registered {
        final String id;
        final ServiceDiscovery<AgentPayload> discovery;
        ServiceInstance<AgentPayload> instance;

        Registered(String id, ServiceDiscovery<AgentPayload> discovery, ServiceInstance<AgentPayload> instance) {
            this.id = id;
            this.discovery = discovery;
            this.instance = instance;
        }
    }

    static Registered register(ServiceDiscovery<AgentPayload> d, String id, int workers) throws Exception {
        long now = System.currentTimeMillis();
        AgentPayload p = new AgentPayload("10.0." + (id.hashCode() & 0xff) + ".1", 7000, 0, 1, CAPS, workers, workers * 10.0,
                AgentLoad.IDLE, now, now, false, "scale");
        ServiceInstance<AgentPayload> i = ServiceInstance.<AgentPayload>builder().name(ZkPaths.AGENT_SERVICE).id(id)
                .address(p.host()).port(p.port()).payload(p).serviceType(ServiceType.DYNAMIC).build();
        d.registerService(i);
        return new Registered(id, d, i);
    }

    static Map<String, String> owners(ClusterView view) {
        Map<String, String> out = new HashMap<>();
        for (Map.Entry<String, Assignment> e : view.assignments().entrySet()) {
            out.put(e.getKey(), e.getValue().agent());
        }
        return out;
    }

    static void waitQuiet(AtomicLong lastChange) throws InterruptedException {
        while (System.nanoTime() - lastChange.get() < TimeUnit.MILLISECONDS.toNanos(QUIET_MS)) {
            Thread.sleep(20);
        }
    }

    static void print(String what, List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        s.sort(Double::compare);
        System.out.printf("  %-36s median %8.1f   p90 %8.1f   max %8.1f%n", what, s.get(s.size() / 2),
                s.get((int) (s.size() * 0.9)), s.get(s.size() - 1));
    }
}
