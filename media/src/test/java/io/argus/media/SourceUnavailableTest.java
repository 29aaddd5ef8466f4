package io.argus.media;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Sources that cannot be opened are refused with a plain message and what to check, typed by reason. */
class SourceUnavailableTest {
    @Test
    void aMissingFileIsRefusedBeforeAnythingIsLoadedSayingWhatToCheck() {
        SourceUnavailableException e = catchThrowableOfType(SourceUnavailableException.class,
                () -> Sources.open("/no/such/file", false));
        assertThat(e.reason()).isEqualTo(SourceUnavailableException.Reason.NOT_FOUND);
        assertThat(e.getMessage()).isEqualTo("no such file or folder: /no/such/file; "
                + SourceUnavailableException.Reason.NOT_FOUND.check());
    }

    @Test
    void aFileThatIsNotVideoGetsFfmpegsReasonWithoutJavaCvsDeveloperHints(@TempDir Path dir) throws Exception {
        Path text = Files.writeString(dir.resolve("notes.avi"), "this is not a video, only text pretending to be one");
        SourceUnavailableException e = catchThrowableOfType(SourceUnavailableException.class,
                () -> Sources.open(text.toString(), false));
        assertThat(e.reason()).isEqualTo(SourceUnavailableException.Reason.NOT_VIDEO);
        assertThat(e.getMessage()).startsWith("cannot open " + text + ": ")
                .contains("FFmpeg can open")
                .doesNotContain("setFormat").doesNotContain("avformat_open_input").doesNotContain("Exception");
    }

    @Test
    void aFolderWithoutImagesAndAMalformedCameraAreTyped(@TempDir Path dir) {
        assertThat(catchThrowableOfType(SourceUnavailableException.class, () -> Sources.open(dir.toString(), false))
                .reason()).isEqualTo(SourceUnavailableException.Reason.NOT_VIDEO);
        assertThat(catchThrowableOfType(SourceUnavailableException.class, () -> Sources.open("camera:x", false))
                .reason()).isEqualTo(SourceUnavailableException.Reason.MALFORMED);
    }

    @Test
    void theDeveloperHintIsStrippedFromJavaCvsText() {
        String javacv = "avformat_open_input() error -1094995529: Could not open input \"x\". (Has setFormat() been called?)";
        assertThat(SourceUnavailableException.ffmpegDetail(new Exception(javacv)))
                .isEqualTo("Invalid data found when processing input");
        assertThat(SourceUnavailableException.ffmpegDetail(new Exception("Could not open x. (Has setFormat() been called?)")))
                .isEqualTo("Could not open x.");
    }
}
