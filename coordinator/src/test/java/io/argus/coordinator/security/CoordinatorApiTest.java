package io.argus.coordinator.security;

import io.argus.coordinator.Coordinator;
import io.argus.coordinator.CoordinatorConfig;
import io.argus.cluster.api.CoordinatorApi;
import io.argus.cluster.api.CoordinatorApiException;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The one coordinator API client against a real coordinator that demands a token. */
class CoordinatorApiTest {
    @Test
    void everyCallCarriesTheTokenAndRefusalsAreTyped(@TempDir Path dir) throws Exception {
        try (TestingServer zk = new TestingServer(true);
             Coordinator c = Coordinator.start(CoordinatorConfig.builder().id("api-c").zkConnect(zk.getConnectString())
                     .httpPort(0).dataDir(dir).tokens(List.of("s3cret")).build())) {
            String base = "http://127.0.0.1:" + c.httpPort();
            CoordinatorApi withToken = CoordinatorApi.builder().token("s3cret").build();
            CoordinatorApi without = CoordinatorApi.builder().build();

            assertThat(withToken.call(base, "GET", "/v1/agents", null).isArray()).isTrue();
            assertThat(withToken.checkpointAsync(base, "never-seen").get()).as("404: none held").isEmpty();

            assertThatThrownBy(() -> without.call(base, "GET", "/v1/agents", null))
                    .isInstanceOfSatisfying(CoordinatorApiException.class, e -> assertThat(e.status()).isEqualTo(401));
            assertThatThrownBy(() -> without.checkpointAsync(base, "never-seen").get())
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOf(CoordinatorApiException.class);
            assertThatThrownBy(() -> withToken.call(base, "PUT", "/v1/streams/x/config", Map.of("tasks",
                    Map.of("people", Map.of("lines", "bad")))))
                    .isInstanceOfSatisfying(CoordinatorApiException.class, e -> {
                        assertThat(e.status()).isEqualTo(400);
                        assertThat(e.code()).isEqualTo("BAD_REQUEST");
                    });
        }
    }
}
