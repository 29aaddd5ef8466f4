package io.argus.cluster;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Which media root allows a local source: what the coordinator looks for before it checks the file. */
class SourcePolicyMediaRootTest {
    final SourcePolicy policy = new SourcePolicy(List.of("rtsp"), List.of("cam"), List.of(), List.of("/srv/media", "/data"),
            true);

    @Test
    void aFileUnderARootNamesThatRootAndNothingElseNamesOne() {
        assertThat(policy.mediaRootOf("/srv/media/door/clip.avi")).contains(Path.of("/srv/media"));
        assertThat(policy.mediaRootOf("/data/x")).contains(Path.of("/data"));
        assertThat(policy.mediaRootOf("/srv/media/../etc/passwd")).as("normalised first").isEmpty();
        assertThat(policy.mediaRootOf("/srv/mediaX/clip.avi")).isEmpty();
        assertThat(policy.mediaRootOf("relative/clip.avi")).isEmpty();
        assertThat(policy.mediaRootOf("rtsp://cam/stream")).isEmpty();
        assertThat(policy.mediaRootOf("camera:0")).isEmpty();
        assertThat(policy.mediaRootOf("concat:/srv/media/a|/srv/media/b")).isEmpty();
    }
}
