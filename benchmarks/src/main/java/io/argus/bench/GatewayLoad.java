package io.argus.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Closed-loop load generator for the HTTP gateway: {@code concurrency} clients each POST the same
 * image to {@code /v1/images?tasks=...} back to back for {@code seconds} (after a 3 s warm-up that
 * is not counted), and the run prints requests/s, latency percentiles of successful requests, and
 * the count of every non-200 status. Each client sends its own {@code X-Client-Id}, so the
 * per-client rate limit applies per simulated client, as in production. A client that gets a 429 or
 * 503 waits for the {@code Retry-After} the gateway sends, as a well-behaved HTTP client does.
 *
 * <p>Usage: {@code java -cp ... io.argus.bench.GatewayLoad URL IMAGE TASKS CONCURRENCY SECONDS}.
 */
public final class GatewayLoad {
    private static final long WARMUP_NANOS = Duration.ofSeconds(3).toNanos();

    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            System.err.println("usage: GatewayLoad URL IMAGE TASKS CONCURRENCY SECONDS");
            System.exit(2);
        }
        String base = args[0];
        byte[] image = Files.readAllBytes(Path.of(args[1]));
        String tasks = args[2];
        int concurrency = Integer.parseInt(args[3]);
        long measureNanos = Duration.ofSeconds(Long.parseLong(args[4])).toNanos();
        String type = args[1].endsWith(".png") ? "image/png" : "image/jpeg";
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
        Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
        long start = System.nanoTime();
        long measureFrom = start + WARMUP_NANOS;
        long end = measureFrom + measureNanos;
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        List<Future<long[]>> parts = new ArrayList<>();
        for (int c = 0; c < concurrency; c++) {
            HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/v1/images?tasks=" + tasks))
                    .timeout(Duration.ofSeconds(10)).header("Content-Type", type)
                    .header("X-Client-Id", "load-" + c)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(image)).build();
            parts.add(pool.submit(() -> {
                long[] lat = new long[1 << 16];
                int n = 0;
                while (true) {
                    long t0 = System.nanoTime();
                    if (t0 >= end) {
                        break;
                    }
                    int status;
                    long backoffMs = 0;
                    try {
                        HttpResponse<byte[]> r = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
                        status = r.statusCode();
                        // a well-behaved client: 429/503 carry Retry-After, and it waits that long
                        backoffMs = r.headers().firstValueAsLong("Retry-After").orElse(0) * 1000;
                    } catch (IOException e) {
                        status = -1;
                    }
                    long t1 = System.nanoTime();
                    if (backoffMs > 0) {
                        Thread.sleep(Math.min(backoffMs, Math.max(0, (end - t1) / 1_000_000)));
                    }
                    if (t0 < measureFrom || t1 > end) {
                        continue;
                    }
                    statuses.computeIfAbsent(status, k -> new AtomicLong()).incrementAndGet();
                    if (status == 200) {
                        if (n == lat.length) {
                            lat = Arrays.copyOf(lat, n * 2);
                        }
                        lat[n++] = t1 - t0;
                    }
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
        double seconds = measureNanos / 1e9;
        Map<Integer, Long> sorted = new TreeMap<>();
        statuses.forEach((k, v) -> sorted.put(k, v.get()));
        System.out.printf("tasks=%s concurrency=%d ok_per_s=%.1f p50_ms=%.1f p95_ms=%.1f p99_ms=%.1f statuses=%s%n",
                tasks, concurrency, lat.length / seconds, pct(lat, 0.50), pct(lat, 0.95), pct(lat, 0.99), sorted);
    }

    private static double pct(long[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
    }
}
