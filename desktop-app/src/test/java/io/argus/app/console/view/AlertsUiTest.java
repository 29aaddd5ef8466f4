package io.argus.app.console.view;

import io.argus.app.console.feed.Feed;
import io.argus.app.console.feed.FeedSnapshot;
import io.argus.app.console.feed.FramePicture;
import io.argus.app.console.feed.SourceSpec;
import io.argus.app.console.model.Alert;
import io.argus.app.console.model.AlertKind;
import io.argus.app.console.model.ConsoleModel;
import io.argus.app.console.model.ModelProbe;
import io.argus.app.console.model.StreamViewModel;
import io.argus.client.ArgusClient;
import io.argus.cluster.embedded.EmbeddedZooKeeper;
import io.argus.protocol.v1.Event;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.stage.Stage;
import org.jspecify.annotations.Nullable;
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
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The alerts in the real window (Monocle, the console's stylesheets, a real ZooKeeper behind the
 * client): a stream that goes offline and comes back is one row that starts and ends, announced by
 * two legible notifications; the row has the stream's picture, can be filtered, acknowledged and
 * opened in Detail; while a modal dialog is open no notification is shown, and the next one says
 * how many were held back.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AlertsUiTest extends FxRobot {
    static EmbeddedZooKeeper zk;
    static ArgusClient client;
    static ConsoleModel model;
    static ConsoleWindow window;
    static Stage stage;

    /** A stream whose status the test sets; while it runs its picture is always fresh. */
    static final class SwitchedFeed implements Feed {
        volatile String status = "LIVE";

        @Override
        public SourceSpec spec() {
            return new SourceSpec("gate", "scripted", false, List.of());
        }

        @Override
        public @Nullable FramePicture latestLive() {
            int[] px = new int[64 * 48];
            java.util.Arrays.fill(px, 0xff3060a0);
            long captureUs = status.equals("LIVE") ? System.currentTimeMillis() * 1000 : 1000;
            return new FramePicture(64, 48, px, List.of(), 1, captureUs);
        }

        @Override
        public @Nullable FramePicture latestAligned() {
            return latestLive();
        }

        @Override
        public FeedSnapshot refresh() {
            return new FeedSnapshot("a1", status, "connection refused", 10, 10, 20, 30, 40, 0, 0, Map.of(), Map.of(),
                    0, 1, false);
        }

        @Override
        public List<Event> drainNewEvents() {
            return List.of();
        }

        @Override
        public void close() {
        }
    }

    static final SwitchedFeed feed = new SwitchedFeed();
    static StreamViewModel vm;

    @BeforeAll
    static void start() throws Exception {
        Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "alerts-ui");
        zk = EmbeddedZooKeeper.start();
        client = ArgusClient.connect(zk.connectString(), "alerts-ui-test");
        stage = FxToolkit.registerPrimaryStage();
        FxToolkit.setupStage(s -> {
            model = new ConsoleModel(client, dir.resolve("console.json"));
            window = new ConsoleWindow(model, true);
            vm = ModelProbe.attach(model, feed);
            s.setScene(window.scene(1280, 800, Objects.requireNonNull(AlertsUiTest.class
                    .getResource("/argus/ui/argus-dark.css")).toExternalForm()));
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
        zk.close();
    }

    static <T> T fx(Callable<T> c) throws Exception {
        return WaitForAsyncUtils.asyncFx(c).get();
    }

    static List<Region> toasts() throws Exception {
        return fx(() -> window.toasts().getChildren().stream().map(n -> (Region) n).toList());
    }

    static String toastTitle(Region toast) {
        return ((Label) ((javafx.scene.layout.VBox) toast).getChildren().get(0)).getText();
    }

    /** WCAG contrast ratio of two colours. */
    static double contrast(Color a, Color b) {
        double la = luminance(a);
        double lb = luminance(b);
        return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
    }

    static double luminance(Color c) {
        return 0.2126 * lin(c.getRed()) + 0.7152 * lin(c.getGreen()) + 0.0722 * lin(c.getBlue());
    }

    static double lin(double v) {
        return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    }

    @Test
    @Order(1)
    void anOutageIsOneAlertFromStartToEndThatCanBeActedOn() throws Exception {
        await().atMost(Duration.ofSeconds(10)).until(() -> fx(() -> vm.healthProperty().get().running()));
        feed.status = "OFFLINE";
        await().atMost(Duration.ofSeconds(10)).until(() -> fx(() -> model.alerts().size()) == 1);
        // the feed retries: starting, offline, starting... still one alert
        for (int i = 0; i < 4; i++) {
            feed.status = i % 2 == 0 ? "STARTING" : "OFFLINE";
            Thread.sleep(300); // let the window's pulses see each status
        }
        Alert a = fx(() -> model.alerts().get(0));
        assertThat(fx(() -> model.alerts().size())).isEqualTo(1);
        assertThat(a.type()).isEqualTo(AlertKind.OFFLINE);
        assertThat(a.thumbnail()).isNotNull();

        // one notification, in words, legible on the dark theme
        await().atMost(Duration.ofSeconds(5)).until(() -> toasts().size() == 1);
        Region toast = toasts().get(0);
        assertThat(toastTitle(toast)).isEqualTo("gate: offline or stalled");
        Color bg = fx(() -> (Color) toast.getBackground().getFills().get(0).getFill());
        Color fg = fx(() -> (Color) ((Label) ((javafx.scene.layout.VBox) toast).getChildren().get(1)).getTextFill());
        assertThat(contrast(bg, fg)).as("text on the notification").isGreaterThan(7.0);
        // within the window, at the top right, not over the toolbar's buttons
        // at the right edge of the window, below the toolbar (whose buttons it must not hide)
        assertThat(fx(() -> toast.getScene().getWidth() - toast.localToScene(toast.getBoundsInLocal()).getMaxX()))
                .isBetween(0.0, 40.0);
        assertThat(fx(() -> toast.localToScene(toast.getBoundsInLocal()).getMinY())).isGreaterThan(fx(() ->
                window.tabs().getScene().lookup(".tool-bar").localToScene(window.tabs().getScene().lookup(".tool-bar")
                        .getBoundsInLocal()).getMaxY()));

        // the Alerts tab: one active row with a picture, counted in the tab's title
        fx(() -> {
            window.tabs().getSelectionModel().select(4);
            return null;
        });
        assertThat(fx(() -> window.tabs().getTabs().get(4).getText())).isEqualTo("Alerts (1)");
        assertThat(fx(() -> window.alertsPane().table().getItems())).containsExactly(a);
        assertThat(fx(() -> window.alertsPane().table().lookupAll(".image-view").size())).isPositive();

        // back: the same row ends, a second notification says so
        feed.status = "LIVE";
        await().atMost(Duration.ofSeconds(30)).until(() -> fx(() -> !a.active()));
        assertThat(fx(() -> model.alerts().size())).isEqualTo(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> toasts().stream().anyMatch(t ->
                toastTitle(t).equals("gate: back")));

        // filters: active only hides it, a kind it is not hides it
        fx(() -> {
            model.alertsView().activeOnlyProperty().set(true);
            return null;
        });
        assertThat(fx(() -> window.alertsPane().table().getItems())).isEmpty();
        fx(() -> {
            model.alertsView().activeOnlyProperty().set(false);
            model.alertsView().kindProperty().set(AlertKind.WATCH);
            return null;
        });
        assertThat(fx(() -> window.alertsPane().table().getItems())).isEmpty();
        fx(() -> {
            model.alertsView().kindProperty().set(null);
            return null;
        });

        // acknowledge through the button, then open it in Detail
        fx(() -> {
            window.alertsPane().table().getSelectionModel().select(a);
            return null;
        });
        clickOn("#alert-ack");
        assertThat(a.acknowledged()).isTrue();
        assertThat(fx(() -> window.tabs().getTabs().get(4).getText())).isEqualTo("Alerts");
        clickOn("#alert-show");
        assertThat(fx(() -> window.tabs().getSelectionModel().getSelectedIndex())).isEqualTo(1);
        assertThat(fx(() -> window.detail().current())).isSameAs(vm);
        Label banner = fx(() -> window.detail().alertBanner());
        assertThat(fx(banner::isVisible)).isTrue();
        assertThat(fx(banner::getText)).startsWith("Alert: offline or stalled since ").contains("gate: back after");
        assertThat(fx(() -> banner.getGraphic())).isNotNull();
    }

    @Test
    @Order(2)
    void noNotificationWhileAModalDialogIsOpen() throws Exception {
        await().atMost(Duration.ofSeconds(10)).until(() -> fx(() -> vm.healthProperty().get().running()));
        javafx.scene.control.Alert dialog = fx(() -> {
            javafx.scene.control.Alert d = new javafx.scene.control.Alert(javafx.scene.control.Alert.AlertType.CONFIRMATION,
                    "a dialog", ButtonType.OK, ButtonType.CANCEL);
            d.initOwner(stage);
            d.show();
            return d;
        });
        fx(() -> {
            window.toasts().getChildren().clear(); // the first test's
            return null;
        });
        int before = 0;
        int alertsBefore = fx(() -> model.alerts().size());
        feed.status = "OFFLINE";
        await().atMost(Duration.ofSeconds(10)).until(() -> fx(() -> model.alerts().size()) == alertsBefore + 1);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(toasts().size()).as("notifications while the dialog is open").isLessThanOrEqualTo(before);
        assertThat(toasts().stream().map(AlertsUiTest::toastTitle)).doesNotContain("gate: offline or stalled")
                .filteredOn(t -> t.contains("while you were busy")).isEmpty();
        fx(() -> {
            dialog.close();
            return null;
        });
        // once it is closed, what was held back is announced (rate limit permitting)
        await().atMost(Duration.ofSeconds(30)).until(() -> toasts().stream().anyMatch(t ->
                toastTitle(t).equals("1 alert change(s) while you were busy")));
        feed.status = "LIVE";
    }

}
