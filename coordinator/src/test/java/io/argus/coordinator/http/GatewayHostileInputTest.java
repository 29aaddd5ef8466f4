package io.argus.coordinator.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.argus.coordinator.Coordinator;
import io.argus.coordinator.CoordinatorConfig;
import io.argus.coordinator.store.StoreLock;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile clients against a real coordinator over loopback sockets: a fresh X-Client-Id per
 * request, made-up method names and paths, slow clients trickling bytes, "." and ".." as stream
 * ids, nonsense limits. Each of these once got through (see HELPER-C-NOTES.md for the figures);
 * the bounds asserted here are generous, so that only the old behaviour fails them.
 */
class GatewayHostileInputTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final int RATE = 5;
    static final long DEADLINE_MS = 2_000;
    static final int MAX_CONNECTIONS = 40;
    static final int PER_ADDRESS = 30;
    static TestingServer zk;
    static Coordinator c;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        zk = new TestingServer(true);
        c = Coordinator.start(CoordinatorConfig.builder().id("hostile").zkConnect(zk.getConnectString()).httpPort(0)
                .dataDir(dir).ratePerSecond(RATE).requestDeadlineMs(DEADLINE_MS).maxConnections(MAX_CONNECTIONS)
                .maxConnectionsPerAddress(PER_ADDRESS).build());
    }

    @AfterAll
    static void stop() throws Exception {
        c.close();
        zk.close();
    }

    static String metrics() throws IOException {
        try (RawHttp h = new RawHttp(c.httpPort())) {
            RawHttp.Response r = h.exchange("GET", "/metrics", null, null);
            assertThat(r.status()).isEqualTo(200);
            return r.body();
        }
    }

    static double metric(String text, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + "\\{[^}]*} ([0-9.eE+-]+)$").matcher(text);
        assertThat(m.find()).as("metric %s in /metrics", name).isTrue();
        return Double.parseDouble(m.group(1));
    }

    @Test
    void aFreshClientIdPerRequestDoesNotBypassTheRateLimit() throws Exception {
        int n = Integer.getInteger("argus.hostile.ids", 100_000);
        int passed = 0;
        long t0 = System.nanoTime();
        try (RawHttp h = new RawHttp(c.httpPort())) {
            // pipelined in batches (the answers are only counted, so their order does not matter)
            for (int i = 0; i < n; i += 500) {
                StringBuilder batch = new StringBuilder();
                int k = Math.min(500, n - i);
                for (int j = 0; j < k; j++) {
                    batch.append("POST /v1/images?tasks=color HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: image/jpeg\r\n")
                            .append("X-Client-Id: client-").append(i + j).append("\r\nContent-Length: 1\r\n\r\nx");
                }
                h.socket().getOutputStream().write(batch.toString().getBytes(StandardCharsets.ISO_8859_1));
                for (int j = 0; j < k; j++) {
                    if (h.read().status() != 429) {
                        passed++;
                    }
                }
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("hostile: %d fresh X-Client-Id values in %.1f s, %d not rate-limited%n", n, seconds, passed);
        // the old gateway let every one through: a new id was a new allowance
        assertThat(passed).isLessThanOrEqualTo((int) (2 * RATE * (Math.ceil(seconds) + 2)));
        assertThat(metric(metrics(), "argus_gateway_rate_limit_clients")).as("limiters kept").isLessThanOrEqualTo(2);
    }

    /**
     * The blocking executor's queue is bounded: with its 4 threads held (the test holds the embedded
     * store's connection lock, which every store read takes: {@link StoreLock}) and its queue of 1 full, further requests get
     * 503 OVERLOADED at once instead of joining an unbounded backlog; the held ones are answered
     * once the lock is released.
     */
    @Test
    void aFullBlockingQueueAnswers503Overloaded(@TempDir Path dir) throws Exception {
        try (Coordinator small = Coordinator.start(CoordinatorConfig.builder().id("hostile-q").zkConnect(zk.getConnectString())
                .httpPort(0).dataDir(dir).blockingQueue(1).build())) {
            List<RawHttp> clients = new ArrayList<>();
            List<RawHttp.Response> answers = new ArrayList<>();
            try {
                synchronized (StoreLock.of(small.store())) {
                    for (int i = 0; i < 10; i++) {
                        RawHttp h = new RawHttp(small.httpPort());
                        clients.add(h);
                        h.socket().getOutputStream().write("GET /v1/events?limit=5 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                                .getBytes(StandardCharsets.ISO_8859_1));
                    }
                    Thread.sleep(2_000); // every request reaches the router while the store is held
                }
                for (RawHttp h : clients) {
                    answers.add(h.read());
                }
            } finally {
                for (RawHttp h : clients) {
                    h.close();
                }
            }
            long overloaded = answers.stream().filter(r -> r.status() == 503).count();
            System.out.printf("hostile: 10 requests with 4 threads held and a queue of 1: %d answered 503%n", overloaded);
            assertThat(overloaded).isBetween(1L, 5L);
            assertThat(answers.stream().filter(r -> r.status() == 200).count()).isEqualTo(10 - overloaded);
            for (RawHttp.Response r : answers) {
                if (r.status() == 503) {
                    assertThat(JSON.readTree(r.body()).at("/error/code").asText()).isEqualTo("OVERLOADED");
                    assertThat(r.head()).containsIgnoringCase("Retry-After");
                }
            }
        }
    }

    @Test
    void madeUpMethodsAndPathsDoNotGrowTheMetrics() throws Exception {
        try (RawHttp h = new RawHttp(c.httpPort())) { // once, so that the labels of the real routes exist
            h.exchange("GET", "/v1/agents", null, null);
            h.exchange("PUT", "/v1/nothing", null, null);
        }
        int before = metrics().length();
        try (RawHttp h = new RawHttp(c.httpPort())) {
            for (int i = 0; i < 20_000; i++) {
                RawHttp.Response r = h.exchange("M" + i + "X", i % 2 == 0 ? "/v1/agents" : "/made/up/" + i, null, null);
                assertThat(r.status()).isIn(404, 405);
            }
        }
        int after = metrics().length();
        System.out.printf("hostile: /metrics %d bytes before, %d after 20000 made-up methods and 10000 paths%n", before, after);
        // the old gateway added a series per method: 8.5 KB grew to 2.2 MB
        assertThat(after).isLessThan(before + 16 * 1024);
    }

    @Test
    void dotSegmentsAndNonsenseLimitsAre400WithoutInternals() throws Exception {
        List<String> targets = List.of("/v1/streams/..", "/v1/streams/.", "/v1/streams/../config", "/v1/streams/./counts",
                "/v1/streams/../totals", "/v1/events?limit=-1", "/v1/events?limit=0", "/v1/events?limit=abc",
                "/v1/events?limit=10001", "/v1/events?limit=99999999999999999999", "/v1/events?from=x");
        try (RawHttp h = new RawHttp(c.httpPort())) {
            for (String t : targets) {
                RawHttp.Response r = h.exchange("GET", t, null, null);
                assertThat(r.status()).as("%s: %s", t, r.body()).isEqualTo(400);
                JsonNode n = JSON.readTree(r.body());
                assertThat(n.at("/error/code").asText()).as(t).isEqualTo("BAD_REQUEST");
                assertThat(r.body()).as(t).doesNotContain("H2", "SQL", "Exception", "org.", "java.", "JdbcSQL");
            }
            assertThat(h.exchange("GET", "/v1/events?limit=10", null, null).status()).isEqualTo(200);
        }
    }

    /** A socket of a slow client, read on its own thread: when it ended, and what it was told. */
    static final class Slow {
        final Socket s;
        final ByteArrayOutputStream got = new ByteArrayOutputStream();
        volatile long endedAt;

        Slow(String local) throws IOException {
            s = new Socket();
            s.bind(new InetSocketAddress(local, 0));
            s.connect(new InetSocketAddress("127.0.0.1", c.httpPort()), 5_000);
            s.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.ISO_8859_1));
            Thread t = new Thread(() -> {
                try (InputStream in = s.getInputStream()) {
                    byte[] buf = new byte[1024];
                    for (int n; (n = in.read(buf)) > 0; ) {
                        got.write(buf, 0, n);
                    }
                } catch (IOException ended) {
                    // reset or closed: ended either way
                }
                endedAt = System.nanoTime();
            }, "slow-reader");
            t.setDaemon(true);
            t.start();
        }

        boolean ended() {
            return endedAt != 0;
        }

        String answer() {
            return got.toString(StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void slowClientsAreClosedByTheDeadlineAndTheBudgetHolds() throws Exception {
        List<Slow> first = new ArrayList<>();
        List<Slow> second = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < 60; i++) {
            first.add(new Slow("127.0.0.1"));
        }
        for (int i = 0; i < 20; i++) {
            second.add(new Slow("127.0.0.2")); // another address: its own share, within the total
        }
        List<Slow> all = new ArrayList<>(first);
        all.addAll(second);
        AtomicBoolean dribbling = new AtomicBoolean(true);
        Thread dribbler = new Thread(() -> {
            while (dribbling.get()) {
                for (Slow s : all) { // one header byte each, every 200 ms: never idle for the read timeout
                    try {
                        s.s.getOutputStream().write('X');
                    } catch (IOException closed) {
                        // the server closed it
                    }
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "dribbler");
        dribbler.setDaemon(true);
        dribbler.start();
        try {
            Thread.sleep(DEADLINE_MS / 2);
            long refusedFirst = first.stream().filter(Slow::ended).count();
            long refusedSecond = second.stream().filter(Slow::ended).count();
            System.out.printf("hostile: after %d ms, %d of 60 from 127.0.0.1 and %d of 20 from 127.0.0.2 closed at accept%n",
                    (System.nanoTime() - t0) / 1_000_000, refusedFirst, refusedSecond);
            assertThat(60 - refusedFirst).as("admitted from one address").isLessThanOrEqualTo(PER_ADDRESS);
            assertThat(80 - refusedFirst - refusedSecond).as("admitted in all").isLessThanOrEqualTo(MAX_CONNECTIONS)
                    .isGreaterThanOrEqualTo(MAX_CONNECTIONS / 2);
            long until = System.nanoTime() + (DEADLINE_MS + 6_000) * 1_000_000L;
            while (System.nanoTime() < until && !all.stream().allMatch(Slow::ended)) {
                Thread.sleep(50);
            }
            long lastEnd = all.stream().mapToLong(s -> s.endedAt).max().orElse(0);
            long open = all.stream().filter(s -> !s.ended()).count();
            long timedOut = all.stream().filter(s -> s.answer().startsWith("HTTP/1.1 408")).count();
            System.out.printf("hostile: %d slow clients, %d answered 408, all closed %d ms after the first connect; %d still open%n",
                    all.size(), timedOut, (lastEnd - t0) / 1_000_000, open);
            // the old gateway kept every one open: the read timeout never fired for a client trickling bytes
            assertThat(open).as("slow clients still open %d ms after the deadline", DEADLINE_MS + 6_000).isZero();
            assertThat(timedOut).as("admitted slow clients told why").isEqualTo(80 - refusedFirst - refusedSecond);
            for (Slow s : all) {
                if (s.answer().startsWith("HTTP/1.1 408")) {
                    String body = s.answer().substring(s.answer().indexOf("\r\n\r\n") + 4);
                    assertThat(JSON.readTree(body).at("/error/code").asText()).isEqualTo("REQUEST_TIMEOUT");
                }
            }
        } finally {
            dribbling.set(false);
            for (Slow s : all) {
                s.s.close();
            }
        }
        // the budget is given back: a normal client is served
        try (RawHttp h = new RawHttp(c.httpPort())) {
            assertThat(h.exchange("GET", "/healthz", null, null).status()).isEqualTo(200);
        }
    }
}
