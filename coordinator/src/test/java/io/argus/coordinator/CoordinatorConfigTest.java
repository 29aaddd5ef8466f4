package io.argus.coordinator;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The gateway's limits are range-checked when the configuration is built: a bad one is an error, not clamped. */
class CoordinatorConfigTest {
    static CoordinatorConfig.Builder base() {
        return CoordinatorConfig.builder().id("cfg").zkConnect("127.0.0.1:1").dataDir(Path.of("unused"));
    }

    static void refused(UnaryOperator<CoordinatorConfig.Builder> change, String setting) {
        assertThatThrownBy(() -> change.apply(base()).build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(setting).hasMessageContaining("out of range");
    }

    @Test
    void defaultsAreInRangeAndUsed() {
        CoordinatorConfig c = base().build();
        assertThat(c.ratePerSecond()).isEqualTo(CoordinatorConfig.DEFAULT_RATE_PER_SECOND);
        assertThat(c.rateLimitMaxClients()).isEqualTo(CoordinatorConfig.DEFAULT_RATE_LIMIT_MAX_CLIENTS);
        assertThat(c.rateLimitIdleMs()).isEqualTo(CoordinatorConfig.DEFAULT_RATE_LIMIT_IDLE_MS);
        assertThat(c.requestDeadlineMs()).isEqualTo(CoordinatorConfig.DEFAULT_REQUEST_DEADLINE_MS);
        assertThat(c.maxConnections()).isEqualTo(CoordinatorConfig.DEFAULT_MAX_CONNECTIONS);
        assertThat(c.maxConnectionsPerAddress()).isEqualTo(CoordinatorConfig.DEFAULT_MAX_CONNECTIONS_PER_ADDRESS);
        assertThat(c.blockingQueue()).isEqualTo(CoordinatorConfig.DEFAULT_BLOCKING_QUEUE);
        assertThat(c.healthTimeoutMs()).isEqualTo(CoordinatorConfig.DEFAULT_HEALTH_TIMEOUT_MS);
        assertThat(c.httpPort()).isEqualTo(CoordinatorConfig.DEFAULT_HTTP_PORT);
        assertThat(c.eventPort()).isEqualTo(CoordinatorConfig.DEFAULT_EVENT_PORT);
        assertThat(c.imageTimeoutMs()).isEqualTo(CoordinatorConfig.DEFAULT_IMAGE_TIMEOUT_MS);
        assertThat(c.maxBodyBytes()).isEqualTo(CoordinatorConfig.DEFAULT_MAX_BODY_BYTES);
        assertThat(c.sessionTimeoutMs()).isEqualTo(CoordinatorConfig.DEFAULT_SESSION_TIMEOUT_MS);
        assertThat(c.minFreeDiskBytes()).isEqualTo(CoordinatorConfig.DEFAULT_MIN_FREE_DISK_BYTES);
        assertThat(c.assignment()).isEqualTo(io.argus.coordinator.assign.AssignmentConfig.DEFAULT);
        assertThat(c.crashProbe()).isEqualTo(io.argus.coordinator.liveness.CrashProbeConfig.DEFAULT);
        assertThat(c.mqtt()).isSameAs(io.argus.coordinator.mqtt.MqttConfig.DEFAULT);
        assertThat(c.mqtt().enabled()).isFalse();
    }

    @Test
    void everyOtherSettingIsRangeCheckedToo() {
        refused(b -> b.sessionTimeoutMs(0), "sessionTimeoutMs");
        refused(b -> b.httpPort(65_536), "httpPort");
        refused(b -> b.eventPort(-1), "eventPort");
        refused(b -> b.maxBodyBytes(0), "maxBodyBytes");
        refused(b -> b.imageTimeoutMs(0), "imageTimeoutMs");
        refused(b -> b.minFreeDiskBytes(-1), "minFreeDiskBytes");
        assertThatThrownBy(() -> base().assignment(null).build()).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("assignment");
    }

    @Test
    void settingsOutOfRangeAreRefused() {
        refused(b -> b.ratePerSecond(0), "ratePerSecond");
        refused(b -> b.ratePerSecond(-1), "ratePerSecond");
        refused(b -> b.ratePerSecond(Double.NaN), "ratePerSecond");
        refused(b -> b.rateLimitMaxClients(0), "rateLimitMaxClients");
        refused(b -> b.rateLimitIdleMs(10), "rateLimitIdleMs");
        refused(b -> b.requestDeadlineMs(0), "requestDeadlineMs");
        refused(b -> b.requestDeadlineMs(3_600_000), "requestDeadlineMs");
        refused(b -> b.maxConnections(0), "maxConnections");
        refused(b -> b.maxConnections(10).maxConnectionsPerAddress(11), "maxConnectionsPerAddress");
        refused(b -> b.blockingQueue(0), "blockingQueue");
        refused(b -> b.healthTimeoutMs(0), "healthTimeoutMs");
        refused(b -> b.healthTimeoutMs(120_000), "healthTimeoutMs");
        assertThatCode(() -> base().maxConnections(10).maxConnectionsPerAddress(10).ratePerSecond(0.5).build())
                .doesNotThrowAnyException();
    }
}
