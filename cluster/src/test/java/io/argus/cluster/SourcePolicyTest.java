package io.argus.cluster;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SourcePolicyTest {
    static final SourcePolicy SITE = new SourcePolicy(List.of("rtsp", "RTSPS"), List.of("cam1.site.example"),
            List.of("10.20.0.0/16", "fd00::/8"), List.of("/srv/media"), false);

    @Test
    void theDefaultAllowsNothing() {
        for (String s : List.of("rtsp://10.0.0.1/live", "http://127.0.0.1:8080/", "/srv/media/a.mp4", "camera:0",
                "file:///etc/passwd")) {
            assertThat(SourcePolicy.DEFAULT.check(s)).as(s).isPresent();
        }
    }

    @Test
    void urlsNeedAnAllowedSchemeAndAListedHostOrAnAddressInAnAllowedNetwork() {
        assertThat(SITE.check("rtsp://user:pw@cam1.site.example:554/stream1")).isEmpty();
        assertThat(SITE.check("RTSPS://CAM1.site.example./x")).as("case and a trailing dot").isEmpty();
        assertThat(SITE.check("rtsp://10.20.3.4/live")).isEmpty();
        assertThat(SITE.check("rtsp://[fd00::1]:554/live")).isEmpty();
        // the SSRF of the probe, and its variants
        assertThat(SITE.check("http://127.0.0.1:8080/")).get().asString().contains("scheme http");
        assertThat(SITE.check("rtsp://127.0.0.1/")).get().asString().contains("not in an allowed network");
        assertThat(SITE.check("rtsp://10.21.0.1/")).isPresent();
        assertThat(SITE.check("rtsp://[::1]/")).isPresent();
        assertThat(SITE.check("rtsp://[::ffff:10.20.0.1]/")).as("a mapped IPv4 address is judged as IPv4").isEmpty();
        assertThat(SITE.check("rtsp://localhost/")).get().asString().contains("never resolved");
        assertThat(SITE.check("rtsp://cam1.site.example.evil.example/")).isPresent();
        assertThat(SITE.check("rtsp://2130706433/")).as("127.0.0.1 spelled as a number is a name, not listed")
                .isPresent();
        assertThat(SITE.check("rtsp:///nohost")).get().asString().contains("needs a host");
    }

    @Test
    void filesOnlyUnderAMediaRootAndNeverThroughAnFfmpegProtocol() {
        assertThat(SITE.check("/srv/media/door/2026-12-01.mp4")).isEmpty();
        assertThat(SITE.check("/srv/media/../../etc/passwd")).get().asString().contains("not under a media root");
        assertThat(SITE.check("/srv/mediaX/a.mp4")).as("a sibling whose name starts alike").isPresent();
        assertThat(SITE.check("/etc/passwd")).isPresent();
        assertThat(SITE.check("media/a.mp4")).get().asString().contains("absolute path");
        assertThat(SITE.check("concat:/srv/media/a.mp4|/etc/passwd")).get().asString().contains("concat:");
        assertThat(SITE.check("subfile:,,start,0,end,0,,:/etc/passwd")).isPresent();
        assertThat(SITE.check("file:/etc/passwd")).isPresent();
        assertThat(SITE.check("camera:0")).get().asString().contains("cameras");
        assertThat(new SourcePolicy(null, null, null, null, true).check("camera:0")).isEmpty();
        assertThat(SITE.check("x".repeat(SourcePolicy.MAX_SOURCE_CHARS + 1))).get().asString().contains("limit");
    }

    @Test
    void theAgentsCheckFollowsSymbolicLinks() throws Exception {
        Path root = Files.createTempDirectory("media");
        Path outside = Files.createTempFile("secret", ".jpg");
        Path link = Files.createSymbolicLink(root.resolve("innocent.jpg"), outside);
        SourcePolicy p = new SourcePolicy(List.of(), List.of(), List.of(), List.of(root.toRealPath().toString()), false);
        assertThat(p.check(link.toString())).as("by its spelling it is under the root").isEmpty();
        assertThat(p.checkOpen(link.toString(), link.toRealPath())).as("but it leads out").isPresent();
        Files.delete(link);
        Files.delete(outside);
    }

    @Test
    void aBadPolicyIsRefusedWhenItIsMadeAndSurvivesJson() {
        assertThatThrownBy(() -> new SourcePolicy(List.of(), List.of(), List.of("10.0.0.0/33"), List.of(), false))
                .hasMessageContaining("prefix length");
        assertThatThrownBy(() -> new SourcePolicy(List.of(), List.of(), List.of("intranet"), List.of(), false))
                .hasMessageContaining("not an address block");
        assertThatThrownBy(() -> new SourcePolicy(List.of(), List.of(), List.of(), List.of("media"), false))
                .hasMessageContaining("absolute");
        assertThatThrownBy(() -> new SourcePolicy(Collections.nCopies(SourcePolicy.MAX_ENTRIES + 1, "rtsp"),
                List.of(), List.of(), List.of(), false)).hasMessageContaining("limit");
        assertThat(ClusterJson.read(ClusterJson.write(SITE), SourcePolicy.class)).isEqualTo(SITE);
    }

    @Test
    void clientsReadFilesOnlyWhenTheAdministratorSaysSoAndAnOlderStoredPolicyDoesNot() {
        assertThat(SourcePolicy.DEFAULT.clientFiles()).isFalse();
        assertThat(SITE.clientFiles()).isFalse();
        SourcePolicy granted = SITE.withClientFiles(true);
        assertThat(granted.clientFiles()).isTrue();
        assertThat(ClusterJson.read(ClusterJson.write(granted), SourcePolicy.class)).isEqualTo(granted);
        // written before the grant existed: no clientFiles field, so no grant
        String older = "{\"schemes\":[\"rtsp\"],\"hosts\":[],\"networks\":[],\"mediaRoots\":[\"/srv/media\"],\"cameras\":false}";
        SourcePolicy read = ClusterJson.read(older.getBytes(java.nio.charset.StandardCharsets.UTF_8), SourcePolicy.class);
        assertThat(read.clientFiles()).isFalse();
        assertThat(read.mediaRoots()).containsExactly("/srv/media");
    }
}
