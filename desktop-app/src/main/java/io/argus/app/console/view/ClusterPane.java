package io.argus.app.console.view;

import io.argus.app.console.model.ClusterViewModel;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.BorderPane;

import java.util.function.Function;

/** Agents with host, capabilities, load, streams and health, live from ZooKeeper; and the coordinators. */
public final class ClusterPane extends BorderPane {
    private final TableView<ClusterViewModel.AgentRow> table = new TableView<>();

    public ClusterPane(ClusterViewModel vm) {
        table.setId("agents");
        table.setItems(vm.agents());
        table.getColumns().add(column("agent", ClusterViewModel.AgentRow::id, 140));
        table.getColumns().add(column("address", ClusterViewModel.AgentRow::host, 150));
        table.getColumns().add(column("tasks", ClusterViewModel.AgentRow::capabilities, 260));
        table.getColumns().add(column("load", ClusterViewModel.AgentRow::load, 180));
        table.getColumns().add(column("streams", ClusterViewModel.AgentRow::streams, 200));
        table.getColumns().add(column("health", ClusterViewModel.AgentRow::health, 100));
        Label leader = new Label();
        leader.textProperty().bind(vm.leaderProperty().map(l -> "coordinators: " + l));
        setTop(leader);
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
