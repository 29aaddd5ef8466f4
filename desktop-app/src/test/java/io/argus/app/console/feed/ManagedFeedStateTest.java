package io.argus.app.console.feed;

import io.argus.cluster.ManagedState;
import io.argus.cluster.ManagedStatus;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The console's badge for a managed stream that sends no previews says what its agent reports. */
class ManagedFeedStateTest {
    @Test
    void retryingFailedFinishedAndStartingAreSaidWithTheirReasons() {
        long now = 1_000_000;
        assertThat(ManagedFeed.describe(new ManagedStatus("a1", 7, ManagedState.RETRYING, "cannot open x: no such file",
                now + 2_500, 2, now, 0), now)).isEqualTo("cannot open x: no such file; next attempt in 3 s");
        assertThat(ManagedFeed.describe(new ManagedStatus("a1", 7, ManagedState.FAILED, "cannot open x", 0, 5, now, 0), now))
                .isEqualTo("cannot open x (given up after 5 failures; add the stream again to retry)");
        assertThat(ManagedFeed.describe(new ManagedStatus("a1", 7, ManagedState.FINISHED, null, 0, 0, now, 0), now))
                .isEqualTo("read to its end");
        assertThat(ManagedFeed.describe(ManagedStatus.starting("waiting"), now)).isEqualTo("waiting for an agent");
    }
}
