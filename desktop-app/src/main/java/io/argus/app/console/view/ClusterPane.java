package io.argus.app.console.view;

import io.argus.app.console.model.ClusterViewModel;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;

import java.util.function.Function;

/**
 * Agents with host, capabilities, load, streams, health (lost ones stay, with the time, until
 * dismissed), and the p50/p99 latency and shed rate of their answers; and the coordinators.
 */
public final class ClusterPane extends BorderPane {
    private final TableView<ClusterViewModel.AgentRow> table = new TableView<>();
    private final Button dismiss = new Button("Dismiss lost agent");

    public ClusterPane(ClusterViewModel vm) {
        table.setId("agents");
        table.setItems(vm.agents());
        table.getColumns().add(column("agent", ClusterViewModel.AgentRow::id, 120));
        table.getColumns().add(column("address", ClusterViewModel.AgentRow::host, 140));
        table.getColumns().add(column("tasks", ClusterViewModel.AgentRow::capabilities, 200));
        table.getColumns().add(column("load: CPU, busy, fps, queue", ClusterViewModel.AgentRow::load, 300));
        table.getColumns().add(column("streams", ClusterViewModel.AgentRow::streams, 160));
        table.getColumns().add(column("health", ClusterViewModel.AgentRow::health, 130));
        table.getColumns().add(column("p50", ClusterViewModel.AgentRow::p50, 70));
        table.getColumns().add(column("p99", ClusterViewModel.AgentRow::p99, 70));
        table.getColumns().add(column("shed", ClusterViewModel.AgentRow::shed, 60));
        dismiss.setId("dismiss-agent");
        dismiss.disableProperty().bind(table.getSelectionModel().selectedItemProperty()
                .map(r -> !r.lost()).orElse(true));
        dismiss.setOnAction(e -> {
            ClusterViewModel.AgentRow r = table.getSelectionModel().getSelectedItem();
            if (r != null) {
                vm.dismiss(r.id());
            }
        });
        Label leader = new Label();
        leader.textProperty().bind(vm.leaderProperty().map(l -> "coordinators: " + l));
        setTop(new HBox(12, leader, dismiss));
        setCenter(table);
    }

    private static TableColumn<ClusterViewModel.AgentRow, String> column(String name,
            Function<ClusterViewModel.AgentRow, String> f, double width) {
        TableColumn<ClusterViewModel.AgentRow, String> c = new TableColumn<>(name);
        c.setCellValueFactory(d -> new ReadOnlyStringWrapper(f.apply(d.getValue())));
        c.setPrefWidth(width);
        return c;
    }

    public TableView<ClusterViewModel.AgentRow> table() {
        return table;
    }
}
