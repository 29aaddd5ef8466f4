package io.argus.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.argus.cli.demo.DemoCluster;
import io.argus.cluster.SourcePolicies;
import io.argus.cluster.SourcePolicy;
import io.argus.cluster.ZkClients;
import io.argus.cluster.ZkPaths;
import io.argus.media.segment.KeyframeIndex;
import io.argus.media.segment.Segment;
import io.argus.media.segment.SegmentConfig;
import io.argus.media.segment.SegmentPlan;
import org.apache.curator.framework.CuratorFramework;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Issue 21's managed recording ({@code stream add --replay}) timed end to end: a fresh embedded
 * cluster of 2 agents (one worker each on a 2-core machine, as {@code analyze} starts it) per run,
 * the recording registered as a replay of N segments ({@link SegmentPlan}, 10 s warm-ups), the wall
 * time from the registration to the last segment finished, and the totals stored under the
 * recording's name. "serial" is one segment: the whole file on one agent, unpaced.
 *
 * <p>Usage: {@code java -cp ... io.argus.bench.ReplayBench FILE [RUN ...]}, each run {@code WORKERS}
 * or {@code WORKERS@SEGMENT_SECONDS} (default 1 2 4; 1 = serial; segments as {@link SegmentPlan}
 * plans them for that many workers, at most {@link SegmentConfig#DEFAULT_SEGMENT_SECONDS} long unless
 * given).
 */
public final class ReplayBench {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String LINE = "mid:384,0,384,576";
    static final String ZONE = "hall:100,300,700,300,700,576,100,576";

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]).toAbsolutePath();
        List<String> runs = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            runs.add(args[i]);
        }
        if (runs.isEmpty()) {
            runs.addAll(List.of("1", "2", "4"));
        }
        KeyframeIndex index = KeyframeIndex.read(file.toString());
        System.out.println("| run | segments | wall s | totals |");
        System.out.println("|---|---|---|---|");
        for (String r : runs) {
            // WORKERS or WORKERS@SEGMENT_SECONDS
            String[] parts = r.split("@", 2);
            int n = Integer.parseInt(parts[0]);
            double seconds = parts.length > 1 ? Double.parseDouble(parts[1]) : SegmentConfig.DEFAULT_SEGMENT_SECONDS;
            SegmentConfig cfg = SegmentConfig.builder().segmentSeconds(n == 1 ? 86_400 : seconds).build();
            List<Segment> plan = SegmentPlan.plan(index, cfg, n);
            double wall = run(file, plan);
            System.out.printf("| %s | %d | %.1f | %s |%n", n == 1 ? "serial" : "--parallel " + r, plan.size(), wall, TOTALS.get());
        }
    }

    static final ThreadLocal<String> TOTALS = ThreadLocal.withInitial(() -> "");

    static double run(Path file, List<Segment> plan) throws Exception {
        Path dir = Files.createTempDirectory("argus-replay-bench");
        HttpClient http = HttpClient.newHttpClient();
        try (DemoCluster cluster = DemoCluster.start(2, dir, "bench-")) {
            try (CuratorFramework c = ZkClients.newClient(cluster.zkConnect(), ZkClients.DEFAULT_SESSION_TIMEOUT_MS,
                    cluster.credentials())) {
                c.start();
                SourcePolicies.write(c, ZkPaths.defaults(), SourcePolicy.DEFAULT.withMediaRoot(java.util.Objects.requireNonNull(file.getParent(), "folder")));
            }
            String base = "http://127.0.0.1:" + cluster.coordinator().httpPort();
            ObjectNode body = JSON.createObjectNode().put("id", "reel").put("source", file.toRealPath().toString());
            body.putArray("tasks").addObject().put("name", "people").putObject("params").put("lines", LINE).put("zones", ZONE);
            ArrayNode segments = body.putObject("replay").putArray("segments");
            for (Segment s : plan) {
                segments.addObject().put("warm_up_start", s.warmUpStart()).put("start", s.start()).put("end", s.end());
            }
            long t0 = System.nanoTime();
            HttpResponse<String> added = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/streams"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (added.statusCode() != 200) {
                throw new IllegalStateException(added.body());
            }
            while (!finished(http, base, plan.size())) {
                Thread.sleep(200);
            }
            double wall = (System.nanoTime() - t0) / 1e9;
            Thread.sleep(3_000); // the last events' batch reaches the store
            JsonNode totals = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(base + "/v1/streams/reel/totals")).build(),
                    HttpResponse.BodyHandlers.ofString()).body()).path("totals");
            TOTALS.set(totals.toString());
            return wall;
        } finally {
            try (var paths = Files.walk(dir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    static boolean finished(HttpClient http, String base, int segments) throws Exception {
        for (int k = 0; k < segments; k++) {
            JsonNode s = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(base + "/v1/streams/reel.seg" + k)).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            String state = s.path("state").asText();
            if (state.equals("failed")) {
                throw new IllegalStateException("segment " + k + " failed: " + s.path("last_error").asText());
            }
            if (!state.equals("finished")) {
                return false;
            }
        }
        return true;
    }

    private ReplayBench() {
    }
}
