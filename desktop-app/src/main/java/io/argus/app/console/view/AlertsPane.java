package io.argus.app.console.view;

import io.argus.app.console.model.Alert;
import io.argus.app.console.model.AlertKind;
import io.argus.app.console.model.AlertsViewModel;
import io.argus.app.console.model.Thumbnail;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.css.PseudoClass;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.ToolBar;
import javafx.scene.image.ImageView;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.BorderPane;
import javafx.util.StringConverter;
import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.function.Consumer;

/**
 * The Alerts tab: one row per alert (a state with a start and an end), grouped per stream and kind,
 * with the picture of the moment it began; filters by stream, kind, active and unacknowledged;
 * Acknowledge, and Show (double click or Enter) to open the stream's Detail at that alert.
 */
final class AlertsPane extends BorderPane {
    private static final PseudoClass ACTIVE = PseudoClass.getPseudoClass("active-alert");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());
    private final TableView<Alert> table = new TableView<>();

    AlertsPane(AlertsViewModel vm, Consumer<Alert> open) {
        table.getStyleClass().add("alerts-table");
        table.setId("alerts-table");
        table.setItems(vm.shown());
        table.setPlaceholder(new Label("no alerts (with this filter)"));
        TableColumn<Alert, @Nullable Thumbnail> pic = new TableColumn<>("picture");
        pic.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().thumbnail()));
        pic.setCellFactory(c -> new ThumbnailCell());
        pic.setPrefWidth(112);
        pic.setSortable(false);
        table.getColumns().add(pic);
        table.getColumns().add(column("stream / agent", 130, a -> a.group()));
        table.getColumns().add(column("kind", 110, a -> a.type().started()));
        TableColumn<Alert, String> state = column("state", 150, a -> stateText(a));
        state.setCellValueFactory(c -> new SimpleStringProperty(stateText(c.getValue())) {
            {
                // a row's state and message change when the alert ends or is acknowledged
                c.getValue().endMsProperty().addListener((o, x, y) -> set(stateText(c.getValue())));
                c.getValue().acknowledgedProperty().addListener((o, x, y) -> set(stateText(c.getValue())));
            }
        });
        table.getColumns().add(state);
        table.getColumns().add(column("started", 80, a -> TIME.format(Instant.ofEpochMilli(a.startMs()))));
        TableColumn<Alert, String> msg = new TableColumn<>("what happened");
        msg.setCellValueFactory(c -> c.getValue().messageProperty());
        msg.setPrefWidth(520);
        table.getColumns().add(msg);
        table.setRowFactory(t -> new TableRow<>() {
            @Override
            protected void updateItem(@Nullable Alert a, boolean empty) {
                super.updateItem(a, empty);
                pseudoClassStateChanged(ACTIVE, a != null && !empty && a.active() && !a.acknowledged());
            }
        });
        table.setFixedCellSize(72);
        table.setOnMouseClicked(e -> {
            if (e.getClickCount() == 2 && table.getSelectionModel().getSelectedItem() != null) {
                open.accept(table.getSelectionModel().getSelectedItem());
            }
        });
        table.setOnKeyPressed(e -> {
            Alert a = table.getSelectionModel().getSelectedItem();
            if (e.getCode() == KeyCode.ENTER && a != null) {
                open.accept(a);
            }
        });

        ChoiceBox<String> group = new ChoiceBox<>(vm.groups());
        group.setId("alert-group");
        group.valueProperty().bindBidirectional(vm.groupProperty());
        ChoiceBox<@Nullable AlertKind> kind = new ChoiceBox<>();
        kind.setId("alert-kind");
        kind.getItems().add(null);
        kind.getItems().addAll(AlertKind.values());
        kind.setConverter(new StringConverter<>() {
            @Override
            public String toString(@Nullable AlertKind k) {
                return k == null ? "all kinds" : k.started();
            }

            @Override
            public @Nullable AlertKind fromString(String s) {
                return null; // not editable
            }
        });
        kind.valueProperty().bindBidirectional(vm.kindProperty());
        CheckBox active = new CheckBox("active only");
        active.selectedProperty().bindBidirectional(vm.activeOnlyProperty());
        CheckBox unacked = new CheckBox("unacknowledged only");
        unacked.selectedProperty().bindBidirectional(vm.unacknowledgedOnlyProperty());
        Button ack = new Button("Acknowledge");
        ack.setId("alert-ack");
        ack.disableProperty().bind(table.getSelectionModel().selectedItemProperty().isNull());
        ack.setOnAction(e -> table.getSelectionModel().getSelectedItems().forEach(vm::acknowledge));
        Button ackAll = new Button("Acknowledge all shown");
        ackAll.setOnAction(e -> vm.acknowledgeShown());
        Button show = new Button("Show in Detail");
        show.setId("alert-show");
        show.disableProperty().bind(table.getSelectionModel().selectedItemProperty().isNull());
        show.setOnAction(e -> open.accept(table.getSelectionModel().getSelectedItem()));
        setTop(new ToolBar(new Label("show"), group, kind, active, unacked, new javafx.scene.control.Separator(), ack,
                ackAll, show));
        setCenter(table);
    }

    TableView<Alert> table() {
        return table;
    }

    private static String stateText(Alert a) {
        String s = a.active() ? "active" : "ended " + TIME.format(Instant.ofEpochMilli(a.endMsProperty().get()));
        return s + (a.acknowledged() ? ", acknowledged" : "");
    }

    private static TableColumn<Alert, String> column(String title, double width,
                                                     java.util.function.Function<Alert, String> f) {
        TableColumn<Alert, String> c = new TableColumn<>(title);
        c.setCellValueFactory(d -> new SimpleStringProperty(f.apply(d.getValue())));
        c.setPrefWidth(width);
        return c;
    }

    /** An alert's picture, made into an image when its row is shown. */
    static WritableImage image(Thumbnail t) {
        WritableImage img = new WritableImage(t.width(), t.height());
        img.getPixelWriter().setPixels(0, 0, t.width(), t.height(), PixelFormat.getIntArgbInstance(), t.argb(), 0,
                t.width());
        return img;
    }

    private static final class ThumbnailCell extends TableCell<Alert, @Nullable Thumbnail> {
        private final ImageView view = new ImageView();

        ThumbnailCell() {
            view.setFitWidth(100);
            view.setFitHeight(64);
            view.setPreserveRatio(true);
        }

        @Override
        protected void updateItem(@Nullable Thumbnail t, boolean empty) {
            super.updateItem(t, empty);
            if (empty || t == null) {
                setGraphic(null);
                setText(empty ? null : "–");
                return;
            }
            view.setImage(image(t));
            setText(null);
            setGraphic(view);
        }
    }
}
