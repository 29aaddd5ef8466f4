package io.argus.coordinator.config;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ConfigExceptionTest {
    /** putConfig answers with this code: a ZooKeeper outage was reported as BAD_REQUEST before. */
    @Test
    void theCodeMatchesTheStatus() {
        assertThat(new ConfigException(400, "x").code()).isEqualTo("BAD_REQUEST");
        assertThat(new ConfigException(409, "x").code()).isEqualTo("CONFLICT");
        assertThat(new ConfigException(413, "x").code()).isEqualTo("TOO_LARGE");
        assertThat(new ConfigException(503, "x").code()).isEqualTo("UNAVAILABLE");
        assertThat(new ConfigException(500, "x").code()).isEqualTo("INTERNAL");
    }
}
