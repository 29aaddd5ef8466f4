package io.argus.cli.demo;

import io.argus.app.console.model.ConsoleSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DemoSamplesTest {
    @TempDir
    Path dir;

    @Test
    void aSampleWhoseFileWentWithAnOldCheckoutPlaysThisOnesInItsPlace() throws Exception {
        Path assets = Files.createDirectories(dir.resolve("checkout/assets"));
        Path video = Files.createDirectories(assets.resolve("video")).resolve("vtest.avi");
        Files.writeString(video, "stand-in");
        Files.createDirectories(assets.resolve("images/text"));
        Path own = Files.writeString(dir.resolve("own.mp4"), "operator's");
        Path file = dir.resolve("demo-console.json");
        ConsoleSettings kept = new ConsoleSettings();
        kept.sources.add(source("door", "/gone/old-checkout/door.avi")); // not a sample: left alone
        ConsoleSettings.Source lobby = source("lobby", "/gone/old-checkout/assets/video/vtest.avi");
        lobby.params = Map.of("people", Map.of("lines", "door:384,60,384,560"));
        lobby.occupancyAlert = 4;
        kept.sources.add(lobby);
        kept.sources.add(source("signs", own.toString())); // the operator's own file under the sample's name
        kept.sources.add(source("lobby2", "/gone/old-checkout/assets/video/vtest.avi")); // not a sample's name
        kept.save(file);

        List<String> said = DemoSamples.repoint(file, DemoSamples.bundled(assets));

        assertThat(said).singleElement().asString().contains("'lobby'", "/gone/old-checkout/assets/video/vtest.avi",
                video.toAbsolutePath().toString());
        ConsoleSettings now = ConsoleSettings.load(file);
        assertThat(now.sources).extracting(s -> s.name).containsExactly("door", "lobby", "signs", "lobby2");
        assertThat(now.find("lobby2").source).isEqualTo("/gone/old-checkout/assets/video/vtest.avi");
        assertThat(now.find("door").source).isEqualTo("/gone/old-checkout/door.avi");
        ConsoleSettings.Source moved = now.find("lobby");
        assertThat(moved.source).isEqualTo(video.toAbsolutePath().toString());
        assertThat(moved.tasks).containsExactly("people");
        assertThat(moved.params).isEqualTo(Map.of("people", Map.of("lines", "door:384,60,384,560")));
        assertThat(moved.occupancyAlert).isEqualTo(4);
        assertThat(now.find("signs").source).isEqualTo(own.toString());
    }

    @Test
    void urlsCamerasAndPresentFilesAreNeverGoneAndNothingIsWrittenWithoutAChange() throws Exception {
        assertThat(DemoSamples.gone("rtsp://camera.local/stream")).isFalse();
        assertThat(DemoSamples.gone("camera:0")).isFalse();
        assertThat(DemoSamples.gone("")).isFalse();
        assertThat(DemoSamples.gone(dir.toString())).isFalse();
        assertThat(DemoSamples.gone(dir.resolve("nothing.avi").toString())).isTrue();

        Path file = dir.resolve("demo-console.json");
        ConsoleSettings kept = new ConsoleSettings();
        kept.sources.add(source("lobby", "rtsp://camera.local/stream"));
        kept.sources.add(source("signs", "/mnt/usb-not-mounted/shop-signs")); // gone now, but the operator's
        kept.save(file);
        long before = Files.getLastModifiedTime(file).toMillis();
        String text = Files.readString(file);
        Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(before - 60_000));

        assertThat(DemoSamples.repoint(file, DemoSamples.bundled(dir.resolve("assets")))).isEmpty();
        assertThat(Files.readString(file)).isEqualTo(text);
        assertThat(Files.getLastModifiedTime(file).toMillis()).isEqualTo(before - 60_000);
        assertThat(DemoSamples.repoint(dir.resolve("absent.json"), DemoSamples.bundled(dir))).isEmpty();
        assertThat(dir.resolve("absent.json")).doesNotExist();
    }

    private static ConsoleSettings.Source source(String name, String path) {
        ConsoleSettings.Source s = new ConsoleSettings.Source();
        s.name = name;
        s.source = path;
        s.loop = true;
        s.tasks = List.of(name.equals("signs") ? "text" : "people");
        return s;
    }
}
