package io.argus.client;

import io.argus.protocol.v1.TaskRequest;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A stream's settings records: the defaults when none is given, and kept by {@link StreamSpec#toBuilder()}. */
class StreamSpecTest {
    static StreamSpec.Builder spec() {
        return StreamSpec.builder("s").tasks(List.of(TaskRequest.newBuilder().setName("people").build()));
    }

    @Test
    void withoutSettingsAStreamHasTheDefaults() {
        StreamSpec s = spec().build();
        assertThat(s.replay()).isEqualTo(ReplayConfig.DEFAULT);
        assertThat(s.thinning()).isEqualTo(ThinningConfig.DEFAULT);
        assertThat(s.backoff()).isEqualTo(BackoffConfig.DEFAULT);
        assertThat(s.suspicion()).isEqualTo(SuspicionConfig.DEFAULT);
    }

    @Test
    void settingsGivenAreKeptAcrossToBuilder() {
        ThinningConfig thinning = ThinningConfig.builder().maxStride(4).build();
        BackoffConfig backoff = BackoffConfig.builder().maxMs(500).build();
        SuspicionConfig suspicion = SuspicionConfig.builder().suspectMs(1_000).build();
        StreamSpec s = spec().thinning(thinning).backoff(backoff).suspicion(suspicion).build().toBuilder().window(2).build();
        assertThat(s.thinning()).isEqualTo(thinning);
        assertThat(s.backoff()).isEqualTo(backoff);
        assertThat(s.suspicion()).isEqualTo(suspicion);
    }
}
