package io.argus.app.console.view;

import io.argus.app.console.model.ClusterViewModel;
import io.argus.app.console.model.ConsoleModel;
import io.argus.app.console.model.StreamViewModel;
import io.argus.testing.ChildAgent;
import io.argus.testing.TestAssets;
import javafx.scene.control.TableView;
import org.controlsfx.control.StatusBar;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;
import org.testfx.util.WaitForAsyncUtils;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Cluster tab, the tiles and the status bar against a real ZooKeeper and two real agents in
 * child JVMs, one of them killed with SIGKILL: every view tells the same story, and the lost agent
 * stays listed until it is dismissed.
 */
class ClusterHealthTest extends FxRobot {
    static ChildAgent a1;
    static ChildAgent a2;
    static ConsoleModel model;
    static ConsoleWindow window;

    static ConsoleCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = ConsoleCluster.start("cluster-health", new ConsoleCluster.Options().withoutCoordinator()
                .agents(2, "--session-timeout-ms", "6000").sceneHeight(800));
        a1 = cluster.agents.get(0);
        a2 = cluster.agents.get(1);
        model = cluster.model();
        window = cluster.window();
    }

    @AfterAll
    static void stop() throws Exception {
        cluster.close();
    }

    static <T> T fx(Callable<T> c) throws Exception {
        return WaitForAsyncUtils.asyncFx(c).get();
    }

    static Optional<ClusterViewModel.AgentRow> row(String id) throws Exception {
        return fx(() -> window.cluster().table().getItems().stream().filter(r -> r.id().equals(id)).findFirst());
    }

    static String statusBar() throws Exception {
        return fx(() -> ((StatusBar) window.tabs().getScene().lookup(".status-bar")).getText());
    }

    @Test
    void everyViewAgreesAndALostAgentStaysListedUntilDismissed() throws Exception {
        StreamViewModel vm = fx(() -> model.addSource("clip", TestAssets.vtest().toAbsolutePath().toString(), true,
                List.of("noop"), Map.of()));
        await().atMost(Duration.ofSeconds(30)).until(() -> fx(() -> vm.healthProperty().get().running()
                && vm.snapshot().fpsOut() > 0));
        String serving = fx(() -> vm.snapshot().agent());
        String other = serving.equals(a1.id()) ? a2.id() : a1.id();
        ChildAgent victim = serving.equals(a1.id()) ? a1 : a2;
        fx(() -> {
            window.tabs().getSelectionModel().select(2);
            return null;
        });
        // latency and shed columns from the client's own measurements of the serving agent's answers
        await().atMost(Duration.ofSeconds(15)).until(() -> row(serving).map(r -> r.p50().endsWith(" ms")
                && r.p99().endsWith(" ms") && r.shed().equals("0.0%")).orElse(false));
        ClusterViewModel.AgentRow before = row(serving).orElseThrow();
        assertThat(before.health()).isEqualTo("healthy");
        assertThat(before.streams()).contains("clip");
        assertThat(row(other).orElseThrow().p50()).isEqualTo("–");
        assertThat(Double.parseDouble(before.p99().replace(" ms", "")))
                .isGreaterThanOrEqualTo(Double.parseDouble(before.p50().replace(" ms", "")));
        // the status bar counts the stream that runs (it used to say "0 live" while streams ran)
        await().atMost(Duration.ofSeconds(5)).until(() -> statusBar().startsWith("1 stream(s): 1 running"));
        assertThat(statusBar()).startsWith("1 stream(s): 1 running | 2 agent(s): 2 healthy | coordinators");

        victim.kill();
        // listed as lost, with the time, instead of vanishing
        await().atMost(Duration.ofSeconds(30)).until(() -> row(serving).map(r -> r.health().startsWith("lost at"))
                .orElse(false));
        await().atMost(Duration.ofSeconds(5)).until(() -> statusBar().contains("1 lost"));
        assertThat(fx(() -> model.alerts().stream().anyMatch(a -> a.kind().equals("AGENT_LOST")
                && a.message().contains(serving)))).isTrue();
        // the stream carries on on the other agent, and the views say so
        await().atMost(Duration.ofSeconds(30)).until(() -> fx(() -> vm.healthProperty().get().running()
                && vm.snapshot().agent().equals(other)));
        await().atMost(Duration.ofSeconds(5)).until(() -> row(other).map(r -> r.streams().contains("clip")
                && r.health().equals("healthy")).orElse(false));
        Thread.sleep(3000);
        assertThat(row(serving)).isPresent().get().extracting(ClusterViewModel.AgentRow::lost).isEqualTo(true);

        // dismissed by the operator: gone; the healthy agent cannot be dismissed
        TableView<ClusterViewModel.AgentRow> table = fx(() -> window.cluster().table());
        fx(() -> {
            table.getSelectionModel().select(row(other).orElseThrow());
            return null;
        });
        assertThat(fx(() -> lookup("#dismiss-agent").queryButton().isDisabled())).isTrue();
        fx(() -> {
            table.getSelectionModel().select(row(serving).orElseThrow());
            return null;
        });
        clickOn("#dismiss-agent");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(row(serving)).isEmpty();
        Thread.sleep(1500);
        assertThat(row(serving)).isEmpty();
        assertThat(statusBar()).contains("1 stream(s): 1 running | 1 agent(s): 1 healthy | coordinators");
    }
}
