package io.argus.app.console.view;

import com.fasterxml.jackson.databind.JsonNode;
import io.argus.app.console.model.ConsoleModel;
import io.argus.app.console.model.Geometry;
import io.argus.app.console.model.StreamViewModel;
import io.argus.cluster.api.CoordinatorApi;
import io.argus.task.api.people.CountingLine;
import io.argus.testing.TestAssets;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;
import org.testfx.util.WaitForAsyncUtils;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * Lines and zones edited on the picture in Detail, with the mouse, on a real coordinator, agent and
 * ZooKeeper running {@code people} on vtest.avi: Detail shows exactly the active geometry; a line
 * drawn, named and reversed, a zone clicked corner by corner, a line moved by its body and one
 * deleted are each applied through the central configuration (each Apply one new version holding
 * every line and zone), and the agent's count on the untouched line {@code door} never goes back
 * while the others change.
 */
class GeometryEditingUiTest extends FxRobot {
    static final String LINES = "door:384,0,384,576;road:0,300,768,300";
    static final String ZONES = "lawn:0,330,420,330,420,575,0,575";
    /** Screen pixels a mouse position may land from the intended frame point, in source pixels at this tile size. */
    static final double MOUSE_SLACK = 3;

    static ConsoleCluster cluster;
    static ConsoleModel model;

    @BeforeAll
    static void start() throws Exception {
        cluster = ConsoleCluster.start("geometry-ui");
        model = cluster.model();
    }

    @AfterAll
    static void stop() throws Exception {
        cluster.close();
    }

    static <T> T fx(Callable<T> c) throws Exception {
        return ConsoleCluster.fx(c);
    }

    /** The stream's central {@code people} parameters, as the coordinator holds them. */
    static Map<String, String> central() {
        return cluster.client.view().config("clip").value().tasks().getOrDefault("people", Map.of());
    }

    static int version() {
        return cluster.client.view().config("clip").version();
    }

    static long doorTotal(StreamViewModel vm) throws Exception {
        long[] d = fx(() -> vm.snapshot().lines().get("door"));
        return d == null ? -1 : d[0] + d[1];
    }

    /** Screen position of a frame point on Detail's tile. */
    double[] screen(double fx, double fy) throws Exception {
        return fx(() -> {
            TileView t = cluster.window().detail().tile();
            double[] local = t.toTile(fx, fy);
            var p = t.localToScreen(local[0], local[1]);
            return new double[]{p.getX(), p.getY()};
        });
    }

    void drag(double x1, double y1, double x2, double y2) throws Exception {
        double[] a = screen(x1, y1);
        double[] b = screen(x2, y2);
        moveTo(a[0], a[1]);
        press(MouseButton.PRIMARY);
        double[] mid = screen((x1 + x2) / 2, (y1 + y2) / 2);
        moveTo(mid[0], mid[1]);
        moveTo(b[0], b[1]);
        release(MouseButton.PRIMARY);
    }

    void click(double x, double y) throws Exception {
        double[] a = screen(x, y);
        moveTo(a[0], a[1]);
        clickOn(MouseButton.PRIMARY);
    }

    void applyAndAwait(String lines, String zones) {
        int before = version();
        clickOn("#geometry-apply");
        await().atMost(Duration.ofSeconds(10)).until(() -> version() > before);
        assertThat(version()).as("one Apply, one version").isEqualTo(before + 1);
        assertThat(central()).containsEntry("lines", lines).containsEntry("zones", zones);
    }

    @Test
    void linesAndZonesAreDrawnMovedRenamedReversedAndDeletedOnThePicture() throws Exception {
        JsonNode put = CoordinatorApi.builder().build().callAsync(cluster.coordinatorBase(), "PUT", "/v1/streams/clip/config",
                Map.of("tasks", Map.of("people", Map.of("lines", LINES, "zones", ZONES)))).get();
        assertThat(put.toString()).contains("version");
        StreamViewModel vm = fx(() -> model.addSource("clip", TestAssets.vtest().toAbsolutePath().toString(), true,
                List.of("people"), Map.of()));
        fx(() -> {
            cluster.window().showDetail(vm);
            return null;
        });
        await().atMost(Duration.ofSeconds(20)).until(() -> fx(() -> cluster.window().detail().tile().frameSize()) != null);

        // Detail shows exactly what is active
        assertThat(fx(() -> cluster.window().detail().geometry().draftProperty().get()))
                .isEqualTo(Geometry.parse(LINES, ZONES));
        // the edit layer is painted again only when what it shows changes, not on every new frame
        GeometryPainter.PaintKey drawn = fx(() -> GeometryPainter.PaintKey.of(cluster.window().detail().tile(),
                cluster.window().detail().geometry()));
        Thread.sleep(500); // pulses and frames go on
        assertThat(fx(() -> GeometryPainter.PaintKey.of(cluster.window().detail().tile(),
                cluster.window().detail().geometry()))).isEqualTo(drawn);
        // people cross door all the time in this clip: a count to keep
        await().atMost(Duration.ofSeconds(90)).until(() -> doorTotal(vm) > 0);
        List<Long> door = new CopyOnWriteArrayList<>();
        Map<String, Boolean> watching = new ConcurrentHashMap<>(Map.of("on", true));
        Thread watcher = new Thread(() -> {
            while (watching.get("on")) {
                try {
                    door.add(doorTotal(vm));
                    Thread.sleep(100);
                } catch (Exception e) {
                    return;
                }
            }
        }, "door-watcher");
        watcher.setDaemon(true);
        watcher.start();

        // 1. a line drawn with the Line tool, named, reversed, applied with the others as they were
        clickOn("#geometry-line");
        drag(100, 80, 100, 500);
        assertThat(fx(() -> cluster.window().detail().geometry().selectedProperty().get().name())).isEqualTo("line1");
        assertThat(fx(() -> GeometryPainter.PaintKey.of(cluster.window().detail().tile(),
                cluster.window().detail().geometry()))).isNotEqualTo(drawn);
        doubleClickOn("#geometry-name").eraseText(8).write("exit").type(KeyCode.ENTER);
        clickOn("#geometry-reverse");
        CountingLine exit = fx(() -> cluster.window().detail().geometry().draftProperty().get().lines().get(2));
        assertThat(exit.name()).isEqualTo("exit");
        assertThat(exit.p1().x()).isCloseTo(100, within(MOUSE_SLACK));
        assertThat(exit.p1().y()).as("reversed: it starts where the drag ended").isCloseTo(500, within(MOUSE_SLACK));
        assertThat(exit.p2().y()).isCloseTo(80, within(MOUSE_SLACK));
        String withExit = fx(() -> cluster.window().detail().geometry().draftProperty().get().linesSpec());
        assertThat(withExit).startsWith(LINES + ";exit:");
        applyAndAwait(withExit, ZONES);
        // the agent counts with it: exit appears among its figures
        await().atMost(Duration.ofSeconds(20)).until(() -> fx(() -> vm.snapshot().lines().containsKey("exit")));
        cluster.screenshot("geometry-line-applied.png");

        // 2. a zone, corner by corner, closed on its first corner, renamed
        clickOn("#geometry-zone");
        click(500, 60);
        click(700, 60);
        click(700, 200);
        click(500, 60);
        assertThat(fx(() -> cluster.window().detail().geometry().selectedProperty().get().name())).isEqualTo("zone1");
        doubleClickOn("#geometry-name").eraseText(8).write("gate").type(KeyCode.ENTER);
        String zones = fx(() -> cluster.window().detail().geometry().draftProperty().get().zonesSpec());
        assertThat(zones).startsWith(ZONES + ";gate:");
        applyAndAwait(withExit, zones);

        // 3. exit moved by its body (away from road, which it crosses), 60 to the right
        clickOn("#geometry-select");
        drag(100, 200, 160, 200);
        CountingLine moved = fx(() -> cluster.window().detail().geometry().draftProperty().get().lines().get(2));
        assertThat(moved.p1().x()).isCloseTo(160, within(2 * MOUSE_SLACK));
        assertThat(moved.p2().x()).isCloseTo(160, within(2 * MOUSE_SLACK));
        assertThat(moved.p1().y() - moved.p2().y()).as("its form kept").isCloseTo(exit.p1().y() - exit.p2().y(), within(0.1)); // the spec keeps 0.1 px
        String movedLines = fx(() -> cluster.window().detail().geometry().draftProperty().get().linesSpec());
        applyAndAwait(movedLines, zones);

        // 4. road picked by its body and deleted
        click(650, 300);
        assertThat(fx(() -> cluster.window().detail().geometry().selectedProperty().get().name())).isEqualTo("road");
        clickOn("#geometry-delete");
        String withoutRoad = fx(() -> cluster.window().detail().geometry().draftProperty().get().linesSpec());
        assertThat(withoutRoad).doesNotContain("road").startsWith("door:384,0,384,576;exit:");
        applyAndAwait(withoutRoad, zones);
        await().atMost(Duration.ofSeconds(20)).until(() -> fx(() -> !vm.snapshot().lines().containsKey("road")));
        WaitForAsyncUtils.sleep(2, java.util.concurrent.TimeUnit.SECONDS);
        cluster.screenshot("geometry-edited.png");

        // door was never reset: its count only grew through four changes of the others
        watching.put("on", false);
        watcher.join(2_000);
        List<Long> seen = door.stream().filter(v -> v >= 0).toList();
        assertThat(seen).hasSizeGreaterThan(10);
        for (int i = 1; i < seen.size(); i++) {
            assertThat(seen.get(i)).as("door's count at sample %d of %s", i, seen).isGreaterThanOrEqualTo(seen.get(i - 1));
        }
        assertThat(fx(() -> cluster.window().detail().geometry().dirtyProperty().get())).isFalse();
        assertThat(fx(() -> cluster.window().detail().geometry().messageProperty().get()))
                .isEqualTo("applied: 2 line(s), 2 zone(s) active");

        // Settings shows the same active lines and zones (not the empty ones the stream was added with),
        // and a zone typed there is applied live beside the others, without a restart
        clickOn("Settings");
        SettingsPane settings = fx(() -> (SettingsPane) cluster.window().tabs().getTabs().get(5).getContent());
        assertThat(fx(() -> value(settings, "lines"))).isEqualTo(withoutRoad);
        assertThat(fx(() -> value(settings, "zones"))).isEqualTo(zones);
        long doorBefore = doorTotal(vm);
        fx(() -> {
            settings.items().stream().filter(i -> i.key.equals("zones")).findFirst().orElseThrow()
                    .setValue(zones + ";bench:600,400,700,400,700,500");
            return null;
        });
        int before = version();
        clickOn("#settings-apply");
        await().atMost(Duration.ofSeconds(10)).until(() -> version() > before);
        assertThat(central()).containsEntry("zones", zones + ";bench:600,400,700,400,700,500")
                .containsEntry("lines", withoutRoad);
        await().atMost(Duration.ofSeconds(10)).until(() -> fx(() -> ((javafx.scene.control.Label) cluster.window().tabs()
                .getScene().lookup("#settings-message")).getText()).equals("applied to clip: lines and zones"));
        assertThat(fx(() -> model.streams().get(0))).as("the same stream, not restarted").isSameAs(vm);
        assertThat(doorTotal(vm)).isGreaterThanOrEqualTo(doorBefore);
    }

    static String value(SettingsPane settings, String key) {
        return String.valueOf(settings.items().stream().filter(i -> i.key.equals(key)).findFirst().orElseThrow().value);
    }
}
