package io.argus.coordinator.http;

import io.argus.coordinator.Coordinator;
import io.argus.coordinator.CoordinatorConfig;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * /healthz and /metrics report the free space under the data directory, and a coordinator below
 * its minimum says so. (Filling a real disk needs a small filesystem this test cannot mount; the
 * minimum is raised above what any disk has instead.)
 */
public class DiskHealthTest {
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void theDiskIsReportedAndTooLittleSpaceIsAProblem(@TempDir Path dir) throws Exception {
        try (TestingServer zk = new TestingServer(true);
             Coordinator roomy = Coordinator.start(CoordinatorConfig.builder().id("disk-ok").zkConnect(zk.getConnectString())
                     .httpPort(0).dataDir(dir.resolve("a")).minFreeDiskBytes(0).build());
             Coordinator starved = Coordinator.start(CoordinatorConfig.builder().id("disk-low").zkConnect(zk.getConnectString())
                     .httpPort(0).dataDir(dir.resolve("b")).minFreeDiskBytes(Long.MAX_VALUE).build())) {
            HttpResponse<String> ok = get(roomy, "/healthz");
            assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
            assertThat(ok.body()).contains("\"disk_free_bytes\":");
            assertThat(get(roomy, "/metrics").body()).contains("argus_coordinator_disk_free_bytes");

            HttpResponse<String> low = get(starved, "/healthz");
            assertThat(low.statusCode()).isEqualTo(503);
            assertThat(low.body()).contains("\"degraded\"").contains("minFreeDiskBytes");
        }
    }

    public static HttpResponse<String> get(Coordinator c, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + c.httpPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
