package io.argus.app.console.view;

import io.argus.app.console.model.ConsoleModel;
import io.argus.client.ArgusClient;
import io.argus.cluster.embedded.EmbeddedZooKeeper;
import io.argus.coordinator.Coordinator;
import io.argus.coordinator.CoordinatorConfig;
import io.argus.testing.ChildAgent;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

import static org.awaitility.Awaitility.await;

/**
 * The console on a real cluster, for the TestFX tests that need one: an embedded ZooKeeper, a
 * coordinator in this JVM (so a test can read its store or close it), one agent in a child JVM,
 * the client, and the console window in a 1280x900 scene. {@link #close()} takes it all down.
 */
final class ConsoleCluster implements AutoCloseable {
    final Path dir;
    final EmbeddedZooKeeper zk;
    final Coordinator coordinator;
    final ChildAgent agent;
    final ArgusClient client;
    private ConsoleModel model;
    private ConsoleWindow window;
    private boolean coordinatorClosed;

    private ConsoleCluster(String name) throws Exception {
        dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), name);
        zk = EmbeddedZooKeeper.start();
        coordinator = Coordinator.start(CoordinatorConfig.builder().id(name).zkConnect(zk.connectString())
                .httpPort(0).dataDir(dir.resolve("store")).minFreeDiskBytes(0).build());
        agent = ChildAgent.start(zk.connectString(), name + "-agent");
        client = ArgusClient.connect(zk.connectString(), name + "-console");
        client.awaitAgents(1, Duration.ofSeconds(20));
        await().atMost(Duration.ofSeconds(20)).until(() -> !client.view().coordinators().isEmpty());
    }

    /** Starts the cluster and shows the console on TestFX's primary stage. */
    static ConsoleCluster start(String name) throws Exception {
        ConsoleCluster c = new ConsoleCluster(name);
        FxToolkit.registerPrimaryStage();
        FxToolkit.setupStage(s -> {
            c.model = new ConsoleModel(c.client, c.dir.resolve("console.json"));
            c.window = new ConsoleWindow(c.model, false);
            s.setScene(c.window.scene(1280, 900, null));
            s.show();
        });
        WaitForAsyncUtils.waitForFxEvents();
        return c;
    }

    ConsoleModel model() {
        return model;
    }

    ConsoleWindow window() {
        return window;
    }

    String coordinatorBase() {
        return "http://127.0.0.1:" + coordinator.httpPort();
    }

    void closeCoordinator() {
        coordinator.close();
        coordinatorClosed = true;
    }

    static <T> T fx(Callable<T> c) throws Exception {
        return WaitForAsyncUtils.asyncFx(c).get();
    }

    /** The window as the operator sees it, as a PNG (for a look at it; saved under the build directory). */
    void screenshot(String name) throws Exception {
        WritableImage img = fx(() -> window.tabs().getScene().snapshot(null));
        int w = (int) img.getWidth();
        int h = (int) img.getHeight();
        int[] argb = new int[w * h];
        img.getPixelReader().getPixels(0, 0, w, h, PixelFormat.getIntArgbInstance(), argb, 0, w);
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        out.setRGB(0, 0, w, h, argb, 0, w);
        Path file = dir.resolve(name);
        ImageIO.write(out, "png", file.toFile());
        System.out.println("screenshot: " + file);
    }

    @Override
    public void close() throws Exception {
        FxToolkit.cleanupStages();
        fx(() -> {
            model.close();
            return null;
        });
        client.close();
        agent.close();
        if (!coordinatorClosed) {
            coordinator.close();
        }
        zk.close();
    }
}
