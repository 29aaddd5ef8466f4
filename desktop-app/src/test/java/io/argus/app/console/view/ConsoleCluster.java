package io.argus.app.console.view;

import io.argus.app.console.model.ConsoleModel;
import io.argus.client.ArgusClient;
import io.argus.cluster.embedded.EmbeddedZooKeeper;
import io.argus.coordinator.Coordinator;
import io.argus.coordinator.CoordinatorConfig;
import io.argus.testing.ChildAgent;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import org.jspecify.annotations.Nullable;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;

import static org.awaitility.Awaitility.await;

/**
 * The console on a real cluster, for the TestFX tests that need one: an embedded ZooKeeper, by
 * default a coordinator in this JVM (so a test can read its store or close it), agents in child
 * JVMs, the client, and the console window on TestFX's primary stage. {@link #close()} takes it all
 * down.
 */
final class ConsoleCluster implements AutoCloseable {
    /**
     * What to start. Defaults: a coordinator, one agent with no extra arguments, a 1280x900 scene.
     */
    static final class Options {
        boolean coordinator = true;
        int agents = 1;
        List<String> agentArgs = List.of();
        int sceneHeight = 900;

        /** No coordinator: the console on agents alone, as in a cluster without a control plane. */
        Options withoutCoordinator() {
            coordinator = false;
            return this;
        }

        Options agents(int n, String... args) {
            agents = n;
            agentArgs = List.of(args);
            return this;
        }

        Options sceneHeight(int h) {
            sceneHeight = h;
            return this;
        }
    }

    final Path dir;
    final EmbeddedZooKeeper zk;
    private final @Nullable Coordinator coordinator;
    /** The agents, in the order started; {@link #agent} is the first. */
    final List<ChildAgent> agents = new ArrayList<>();
    final ChildAgent agent;
    final ArgusClient client;
    private ConsoleModel model;
    private ConsoleWindow window;
    private boolean coordinatorClosed;

    private ConsoleCluster(String name, Options o) throws Exception {
        dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), name);
        zk = EmbeddedZooKeeper.start();
        coordinator = o.coordinator ? Coordinator.start(CoordinatorConfig.builder().id(name).zkConnect(zk.connectString())
                .httpPort(0).dataDir(dir.resolve("store")).minFreeDiskBytes(0).build()) : null;
        for (int i = 1; i <= o.agents; i++) {
            agents.add(ChildAgent.start(zk.connectString(), o.agents == 1 ? name + "-agent" : name + "-" + i,
                    o.agentArgs.toArray(String[]::new)));
        }
        agent = agents.get(0);
        client = ArgusClient.connect(zk.connectString(), name + "-console");
        client.awaitAgents(o.agents, Duration.ofSeconds(20));
        if (coordinator != null) {
            await().atMost(Duration.ofSeconds(20)).until(() -> !client.view().coordinators().isEmpty());
        }
    }

    /** Starts the default cluster and shows the console on TestFX's primary stage. */
    static ConsoleCluster start(String name) throws Exception {
        return start(name, new Options());
    }

    static ConsoleCluster start(String name, Options o) throws Exception {
        ConsoleCluster c = new ConsoleCluster(name, o);
        FxToolkit.registerPrimaryStage();
        FxToolkit.setupStage(s -> {
            c.model = new ConsoleModel(c.client, c.dir.resolve("console.json"));
            c.window = new ConsoleWindow(c.model, false);
            s.setScene(c.window.scene(1280, o.sceneHeight, null));
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

    /** The coordinator in this JVM (the cluster must have been started with one). */
    Coordinator coordinator() {
        return Objects.requireNonNull(coordinator, "started without a coordinator");
    }

    String coordinatorBase() {
        return "http://127.0.0.1:" + Objects.requireNonNull(coordinator, "started without a coordinator").httpPort();
    }

    void closeCoordinator() {
        Objects.requireNonNull(coordinator, "started without a coordinator").close();
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
        for (ChildAgent a : agents) {
            a.close();
        }
        if (coordinator != null && !coordinatorClosed) {
            coordinator.close();
        }
        zk.close();
    }
}
