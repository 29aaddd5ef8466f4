package io.argus.cli.console;

import io.argus.app.console.model.ConsoleModel;
import io.argus.app.console.model.StreamViewModel;
import io.argus.app.console.view.ConsoleWindow;
import io.argus.app.console.view.TileView;
import io.argus.cli.demo.DemoCluster;
import io.argus.client.ArgusClient;
import io.argus.testing.TestAssets;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The console against a real embedded cluster (ZooKeeper, coordinator, two agents), headless on
 * Monocle, driven through the UI with TestFX's robot.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleTest extends FxRobot {
    static DemoCluster cluster;
    static ArgusClient client;
    static ConsoleModel model;
    static ConsoleWindow window;
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "console-test");
        cluster = DemoCluster.start(2, dir.resolve("coordinator"));
        client = ArgusClient.connect(cluster.zkConnect(), "console-test", "", null, cluster.credentials());
        client.awaitAgents(2, Duration.ofSeconds(20));
        FxToolkit.registerPrimaryStage();
        FxToolkit.setupStage(s -> {
            model = new ConsoleModel(client, dir.resolve("console.json"));
            window = new ConsoleWindow(model, false);
            s.setScene(window.scene(1280, 800, null));
            s.show();
        });
        WaitForAsyncUtils.waitForFxEvents();
    }

    @AfterAll
    static void stop() throws Exception {
        FxToolkit.cleanupStages();
        fx(() -> {
            model.close();
            return null;
        });
        client.close();
        cluster.close();
    }

    static <T> T fx(Callable<T> c) throws Exception {
        return WaitForAsyncUtils.asyncFx(c).get();
    }

    @Test
    @Order(1)
    void addingAFileSourceThroughTheDialogShowsResults() throws Exception {
        clickOn("#add-source");
        clickOn("#source-name").write("clip");
        clickOn("#source-path").write(TestAssets.vtest().toAbsolutePath().toString());
        clickOn("loop");
        clickOn("OK");
        await().atMost(Duration.ofSeconds(30)).until(() -> fx(() -> model.find("clip")
                .map(vm -> vm.statusProperty().get().equals("LIVE") && vm.snapshot().fpsOut() > 0).orElse(false)));
        StreamViewModel vm = fx(() -> model.find("clip").orElseThrow());
        assertThat(fx(() -> vm.badgeProperty().get())).contains("fps");
        // the tile on the wall shows the frame
        TileView tile = fx(() -> window.wall().tile("clip"));
        assertThat(tile).isNotNull();
        await().atMost(Duration.ofSeconds(10)).until(() -> vm.picture(true) != null);
        // it was saved for the next start
        assertThat(Files.readString(dir.resolve("console.json"))).contains("\"clip\"");
    }

    @Test
    @Order(2)
    void aLineDrawnWithTheMouseStartsCounting() throws Exception {
        StreamViewModel vm = fx(() -> model.find("clip").orElseThrow());
        TileView wallTile = fx(() -> window.wall().tile("clip"));
        doubleClickOn(wallTile);
        WaitForAsyncUtils.waitForFxEvents();
        TileView tile = fx(() -> (TileView) window.detail().lookup(".tile"));
        assertThat(tile).isNotNull();
        await().atMost(Duration.ofSeconds(10)).until(() -> fx(() -> tile.toFrame(0, 0)) != null);
        // a vertical line through the middle of the frame: people cross it all the time in this clip
        var bounds = fx(() -> tile.localToScreen(tile.getBoundsInLocal()));
        double[] top = fx(() -> frameToScreen(tile, 384, 80));
        double[] bottom = fx(() -> frameToScreen(tile, 384, 540));
        assertThat(top[1]).isBetween(bounds.getMinY(), bounds.getMaxY());
        clickOn("#geometry-line");
        moveTo(top[0], top[1]);
        press(MouseButton.PRIMARY);
        moveTo(bottom[0], bottom[1]);
        release(MouseButton.PRIMARY);
        // named, then applied through the coordinator's central configuration
        doubleClickOn("#geometry-name").eraseText(8).write("door").type(KeyCode.ENTER);
        clickOn("#geometry-apply");
        await().atMost(Duration.ofSeconds(10)).until(() -> client.view().config("clip").value().tasks()
                .getOrDefault("people", Map.of()).getOrDefault("lines", "").startsWith("door:"));
        await().atMost(Duration.ofSeconds(90)).until(() -> fx(() -> {
            long[] door = vm.snapshot().lines().get("door");
            return door != null && door[0] + door[1] > 0;
        }));
        assertThat(fx(() -> vm.countsProperty().get())).contains("door: in");
    }

    /** Screen position of a frame coordinate on a tile (inverse of {@link TileView#toFrame}). */
    static double[] frameToScreen(TileView tile, double fx, double fy) {
        double[] local = tile.toTile(fx, fy);
        var s = tile.localToScreen(local[0], local[1]);
        return new double[]{s.getX(), s.getY()};
    }

    @Test
    @Order(3)
    void theClusterViewFollowsAgentsAndLosingOneRaisesAnAlert() throws Exception {
        await().atMost(Duration.ofSeconds(10)).until(() -> fx(() -> window.cluster().table().getItems().size()) == 2);
        assertThat(fx(() -> window.cluster().table().getItems().stream().map(r -> r.id()).toList()))
                .containsExactly("agent-1", "agent-2");
        cluster.stopAgent("agent-1");
        // the agent stays listed, as lost (the console's health model keeps it until it is dismissed)
        await().atMost(Duration.ofSeconds(15)).until(() -> fx(() -> window.cluster().table().getItems().stream()
                .anyMatch(r -> r.id().equals("agent-1") && r.lost() && r.health().startsWith("lost at"))));
        assertThat(fx(() -> window.cluster().table().getItems().size())).isEqualTo(2);
        await().atMost(Duration.ofSeconds(5)).until(() -> fx(() -> model.alerts().stream()
                .anyMatch(a -> a.kind().equals("AGENT_LOST") && a.message().contains("agent-1"))));
    }

    @Test
    @Order(4)
    void csvExportContainsTheEvents() throws Exception {
        StreamViewModel vm = fx(() -> model.find("clip").orElseThrow());
        await().atMost(Duration.ofSeconds(60)).until(() -> fx(() -> !vm.events().isEmpty()));
        Path csv = dir.resolve("export.csv");
        fx(() -> {
            model.exportCsv(csv);
            return null;
        });
        String text = Files.readString(csv);
        assertThat(text).startsWith("kind,stream,time,frame,type,line,direction,track,text,value");
        assertThat(text).containsPattern("event,clip,[^,]+,\\d+,crossing,door,(in|out),\\d+,");
        assertThat(text).contains("count,clip,");
        // and a snapshot of the tile with its overlays
        Path png = dir.resolve("tile.png");
        TileView tile = fx(() -> window.wall().tile("clip"));
        fx(() -> {
            tile.snapshotPng(png);
            return null;
        });
        assertThat(Files.size(png)).isGreaterThan(10_000);
    }
}
