package io.argus.bench;

import io.argus.cluster.embedded.EmbeddedZooKeeper;
import io.argus.coordinator.Coordinator;
import io.argus.coordinator.CoordinatorConfig;
import io.argus.coordinator.store.EventStore;
import io.argus.coordinator.store.JdbcEventStore;
import io.argus.coordinator.store.StoreSettings;
import io.argus.protocol.v1.Event;
import io.argus.testing.PostgresServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The event store at 10^6 events, on the embedded H2 store and on a private PostgreSQL server
 * (Debian's, started here as the tests start it): how fast events are stored in the agents' batches
 * of 200, and what {@code totals} and {@code counts} (the last hour and the last day in minute
 * buckets) cost from the aggregates, against the baseline of the same answers by {@code GROUP BY}
 * over the events (what the store did before), on the same data in the same run.
 *
 * Then the coordinator's HTTP API on each store ({@link #http}).
 *
 * <p>Usage: {@code java -cp benchmarks/target/argus-benchmarks.jar:benchmarks/target/lib/* io.argus.bench.StoreQueries [EVENTS] [REPS] [SECONDS]}.
 */
public final class StoreQueries {
    private static final long MINUTE_US = 60_000_000L;

    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 21;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        Path dir = Files.createTempDirectory("argus-storebench");
        try (JdbcEventStore h2 = JdbcEventStore.embedded(dir.resolve("h2"), new SimpleMeterRegistry(), StoreSettings.DEFAULT)) {
            run("h2", h2, "jdbc:h2:" + dir.resolve("h2").toAbsolutePath().resolve("argus"), "argus", "", events, reps);
        }
        try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start()) {
            http("h2", zk, dir.resolve("h2"), StoreSettings.DEFAULT, seconds);
            try (PostgresServer pg = PostgresServer.start(true)) { // fsync on: a commit is durable, as H2's CHECKPOINT SYNC
                StoreSettings shared = StoreSettings.builder().url(pg.jdbcUrl()).user(pg.user()).password(pg.password()).build();
                try (JdbcEventStore store = JdbcEventStore.shared(pg.jdbcUrl(), new SimpleMeterRegistry(), shared)) {
                    run("postgresql", store, pg.jdbcUrl(), pg.user(), pg.password(), events, reps);
                }
                http("postgresql", zk, dir.resolve("pg"), shared, seconds);
            }
        }
    }

    /**
     * The coordinator's HTTP API on that store: 4 clients in a closed loop on {@code /counts} (the
     * API's default, the last hour in minutes) and on {@code /totals}, for {@code seconds} each.
     */
    static void http(String name, EmbeddedZooKeeper zk, Path dataDir, StoreSettings store, int seconds) throws Exception {
        try (Coordinator c = Coordinator.start(CoordinatorConfig.builder().id("bench").zkConnect(zk.connectString())
                .httpPort(0).dataDir(dataDir).minFreeDiskBytes(0).store(store).ratePerSecond(1_000_000).build())) {
            for (String path : List.of("/v1/streams/cam1/counts", "/v1/streams/cam1/totals")) {
                HttpClient client = HttpClient.newHttpClient();
                HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + c.httpPort() + path)).build();
                ExecutorService pool = Executors.newFixedThreadPool(4);
                long end = System.nanoTime() + seconds * 1_000_000_000L;
                List<Future<long[]>> parts = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    parts.add(pool.submit(() -> {
                        long[] lat = new long[1 << 20];
                        int n = 0;
                        while (System.nanoTime() < end && n < lat.length) {
                            long t = System.nanoTime();
                            HttpResponse<Void> r = client.send(req, HttpResponse.BodyHandlers.discarding());
                            if (r.statusCode() != 200) {
                                throw new IllegalStateException(path + " answered " + r.statusCode());
                            }
                            lat[n++] = System.nanoTime() - t;
                        }
                        return Arrays.copyOf(lat, n);
                    }));
                }
                List<long[]> all = new ArrayList<>();
                for (Future<long[]> f : parts) {
                    all.add(f.get());
                }
                pool.shutdown();
                long[] lat = all.stream().flatMapToLong(Arrays::stream).sorted().toArray();
                System.out.printf("%s: HTTP %-28s %7.0f req/s  p50 %.2f ms  p99 %.2f ms  (4 clients, %d s)%n", name, path,
                        lat.length / (double) seconds, lat[lat.length / 2] / 1e6, lat[(int) (lat.length * 0.99)] / 1e6, seconds);
            }
        }
    }

    /** A day of a busy site: 2 lines, in and out, over 24 hours, ending now. */
    static List<Event> batch(int from, int n, int total, long endUs) {
        Random r = new Random(from);
        List<Event> out = new ArrayList<>(n);
        long span = 24 * 60 * MINUTE_US;
        for (int i = from; i < from + n; i++) {
            long t = endUs - span + span * i / total;
            out.add(Event.newBuilder().setId("people:cam" + (i % 4) + ":crossing:" + i).setType("crossing")
                    .setStreamId("cam" + (i % 4)).setSourceIndex(i).setTimeUs(t)
                    .putAttributes("line", r.nextBoolean() ? "door" : "gate").putAttributes("direction", r.nextBoolean() ? "in" : "out")
                    .putAttributes("track", Integer.toString(i)).build());
        }
        return out;
    }

    static void run(String name, EventStore store, String url, String user, String password, int events, int reps)
            throws SQLException {
        long endUs = System.currentTimeMillis() * 1000;
        long t0 = System.nanoTime();
        for (int i = 0; i < events; i += 200) {
            store.record(batch(i, Math.min(200, events - i), events, endUs));
        }
        double ingestS = (System.nanoTime() - t0) / 1e9;
        System.out.printf("%s: stored %d events in %.1f s (%.0f events/s, batches of 200)%n", name, events, ingestS, events / ingestS);
        long hourFrom = endUs - 60 * MINUTE_US + 12_345_678; // not on a minute, as the API's default is not
        long dayFrom = endUs - 24 * 60 * MINUTE_US;
        // an event arrives between two queries, as it does in operation: no database may answer from a
        // result it cached for the same query on unchanged tables (H2 reuses such results)
        int[] next = {events};
        Runnable arrive = () -> store.record(List.of(Event.newBuilder().setId("people:cam1:crossing:late:" + next[0])
                .setType("crossing").setStreamId("cam1").setSourceIndex(next[0]++).setTimeUs(endUs - 1_000_000)
                .putAttributes("line", "door").putAttributes("direction", "in").build()));
        report(name, "totals", reps, arrive, () -> store.totals("cam1"));
        report(name, "counts last hour, 1m", reps, arrive, () -> store.counts("cam1", hourFrom, endUs, MINUTE_US));
        report(name, "counts last day, 1m", reps, arrive, () -> store.counts("cam1", dayFrom, endUs, MINUTE_US));
        try (Connection c = DriverManager.getConnection(url, user, password)) {
            report(name, "baseline totals (GROUP BY events)", reps, arrive, () -> groupBy(c,
                    "SELECT line, direction, COUNT(*) FROM events WHERE stream = 'cam1' AND type = 'crossing' GROUP BY line, direction"));
            report(name, "baseline counts last hour (GROUP BY events)", reps, arrive, () -> groupBy(c,
                    "SELECT (time_us / 60000000) * 60000000 AS b, line, direction, COUNT(*) FROM events WHERE stream = 'cam1' "
                            + "AND type = 'crossing' AND time_us >= " + hourFrom + " AND time_us < " + endUs + " GROUP BY b, line, direction"));
            report(name, "baseline counts last day (GROUP BY events)", reps, arrive, () -> groupBy(c,
                    "SELECT (time_us / 60000000) * 60000000 AS b, line, direction, COUNT(*) FROM events WHERE stream = 'cam1' "
                            + "AND type = 'crossing' AND time_us >= " + dayFrom + " AND time_us < " + endUs + " GROUP BY b, line, direction"));
        }
    }

    interface Query {
        Object run() throws SQLException;
    }

    static int groupBy(Connection c, String sql) throws SQLException {
        int rows = 0;
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows++;
            }
        }
        return rows;
    }

    static void report(String store, String what, int reps, Runnable between, Query q) throws SQLException {
        long[] ns = new long[reps];
        for (int i = 0; i < 3; i++) {
            q.run(); // warm-up
        }
        for (int i = 0; i < reps; i++) {
            between.run();
            long t = System.nanoTime();
            q.run();
            ns[i] = System.nanoTime() - t;
        }
        Arrays.sort(ns);
        System.out.printf("%s: %-45s median %8.2f ms  (min %.2f, max %.2f, %d runs)%n", store, what, ns[reps / 2] / 1e6,
                ns[0] / 1e6, ns[reps - 1] / 1e6, reps);
    }
}
