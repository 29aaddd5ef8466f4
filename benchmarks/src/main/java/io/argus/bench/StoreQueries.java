package io.argus.bench;

import io.argus.coordinator.store.EventStore;
import io.argus.coordinator.store.JdbcEventStore;
import io.argus.coordinator.store.StoreSettings;
import io.argus.protocol.v1.Event;
import io.argus.testing.PostgresServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

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

/**
 * The event store at 10^6 events, on the embedded H2 store and on a private PostgreSQL server
 * (Debian's, started here as the tests start it): how fast events are stored in the agents' batches
 * of 200, and what {@code totals} and {@code counts} (the last hour and the last day in minute
 * buckets) cost from the aggregates, against the baseline of the same answers by {@code GROUP BY}
 * over the events (what the store did before), on the same data in the same run.
 *
 * <p>Usage: {@code java -cp benchmarks/target/argus-benchmarks.jar:benchmarks/target/lib/* io.argus.bench.StoreQueries [EVENTS] [REPS]}.
 */
public final class StoreQueries {
    private static final long MINUTE_US = 60_000_000L;

    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 21;
        Path dir = Files.createTempDirectory("argus-storebench");
        try (JdbcEventStore h2 = JdbcEventStore.embedded(dir.resolve("h2"), new SimpleMeterRegistry(), StoreSettings.DEFAULT)) {
            run("h2", h2, "jdbc:h2:" + dir.resolve("h2").toAbsolutePath().resolve("argus"), "argus", "", events, reps);
        }
        try (PostgresServer pg = PostgresServer.start(true); // fsync on: a commit is durable, as H2's CHECKPOINT SYNC
             JdbcEventStore shared = JdbcEventStore.shared(pg.jdbcUrl(), new SimpleMeterRegistry(), StoreSettings.builder()
                     .url(pg.jdbcUrl()).user(pg.user()).password(pg.password()).build())) {
            run("postgresql", shared, pg.jdbcUrl(), pg.user(), pg.password(), events, reps);
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
