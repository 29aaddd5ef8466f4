package io.argus.cli.analyze;

import io.argus.media.FrameSource;
import io.argus.media.Sources;
import io.argus.testing.TestAssets;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code analyze --recorded-at}. */
class RecordingClockTest {
    private final ByteArrayOutputStream said = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(said, true, StandardCharsets.UTF_8);

    @Test
    void aGivenTimeDatesEveryRecordedFileAndIsSaid() throws Exception {
        String vtest = TestAssets.vtest().toString();
        try (FrameSource s = Sources.open(vtest, false)) {
            assertThat(RecordingClock.parse("2026-12-06T23:00:00+01:00").startUs(s, vtest, err))
                    .isEqualTo(Instant.parse("2026-12-06T22:00:00Z").getEpochSecond() * 1_000_000);
        }
        assertThat(said.toString(StandardCharsets.UTF_8)).contains("2026-12-06T22:00:00Z").contains("given");
    }

    @Test
    void autoTakesTheFilesOwnStartAndCaptureTakesNone() throws Exception {
        String vtest = TestAssets.vtest().toString();
        try (FrameSource s = Sources.open(vtest, false)) {
            assertThat(RecordingClock.parse("auto").startUs(s, vtest, err)).isPositive();
            assertThat(RecordingClock.parse("capture").startUs(s, vtest, err)).isZero();
        }
        assertThat(said.toString(StandardCharsets.UTF_8)).contains("modification time minus its duration");
    }

    @Test
    void photosAreDatedByCaptureTime() throws Exception {
        String dir = TestAssets.root().resolve("images/text").toString();
        try (FrameSource s = Sources.open(dir, false)) {
            assertThat(RecordingClock.parse("2026-12-06T22:00:00Z").startUs(s, dir, err)).isZero();
        }
    }

    @Test
    void anythingElseIsRefusedWithWhatIsAccepted() {
        assertThatThrownBy(() -> RecordingClock.parse("yesterday")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("auto, capture or an ISO-8601 time");
    }
}
