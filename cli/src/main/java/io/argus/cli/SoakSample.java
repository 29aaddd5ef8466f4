package io.argus.cli;

import org.jspecify.annotations.Nullable;
import io.argus.cluster.AgentInfo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * One measurement of {@code argus soak}: agent A's resident memory, live heap (after a full collection),
 * direct buffers and open descriptors, and the results of the last period.
 */
record SoakSample(long tNanos, double resultsPerSecond, double p50Ms, double p99Ms, double rss, double heap,
                  double direct, double fds) {
    static SoakSample of(long t, AgentProcess a, @Nullable AgentInfo info, HttpClient http, double rate, double p50, double p99) {
        double heap = Double.NaN;
        double direct = Double.NaN;
        double fds = Double.NaN;
        if (info != null && info.payload().metricsPort() > 0) {
            try {
                if (!a.collectGarbage()) {
                    throw new IllegalStateException("no full collection: the heap figure would mean nothing");
                }
                String body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                                + info.payload().metricsPort() + "/metrics")).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                heap = sum(body, "jvm_memory_used_bytes{", "area=\"heap\"");
                direct = sum(body, "jvm_buffer_memory_used_bytes{", "id=\"direct\"");
                fds = sum(body, "process_files_open_files{", "");
            } catch (Exception e) {
                // a missed sample; the judgement skips NaN
            }
        }
        return new SoakSample(t, rate, p50, p99, a.rssBytes(), heap, direct, fds);
    }

    /** Sum of the Prometheus samples of a metric whose labels contain {@code label}. */
    static double sum(String body, String metric, String label) {
        double total = 0;
        boolean any = false;
        for (String line : body.split("\n")) {
            if (line.startsWith(metric) && line.contains(label)) {
                total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                any = true;
            }
        }
        return any ? total : Double.NaN;
    }
}
