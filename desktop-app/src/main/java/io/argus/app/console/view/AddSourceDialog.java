package io.argus.app.console.view;

import io.argus.app.console.model.AddSourceViewModel;
import io.argus.app.console.model.AddSourceViewModel.Kind;
import io.argus.app.console.model.StreamViewModel;
import io.argus.task.api.TaskNames;
import javafx.application.Platform;
import javafx.event.ActionEvent;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import javafx.stage.Window;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Asks for a new source: a name, what it is (file, folder, URL, camera, managed stream), and its
 * tasks. OK checks the source first ({@link AddSourceViewModel}) and closes only once the stream
 * was added; what is wrong is said under the field it is about. The result is the stream added.
 */
final class AddSourceDialog extends Dialog<StreamViewModel> {
    static final List<String> VIDEO_EXTENSIONS = List.of("*.mp4", "*.avi", "*.mkv", "*.mov", "*.webm", "*.m4v",
            "*.mpg", "*.mpeg", "*.ts", "*.wmv", "*.flv");
    static final List<String> IMAGE_EXTENSIONS = List.of("*.jpg", "*.jpeg", "*.png", "*.bmp");

    private final AddSourceViewModel vm;
    private final Consumer<Boolean> nativeDialog;
    private final FlowPane tasks = new FlowPane(6, 4);

    /**
     * @param nativeDialog told true before a native file chooser opens and false after it closed
     *                     (the window's notifications wait meanwhile: see {@link ToastLayer})
     */
    AddSourceDialog(AddSourceViewModel vm, Consumer<Boolean> nativeDialog) {
        this.vm = vm;
        this.nativeDialog = nativeDialog;
        setTitle("Add a source");
        TextField name = new TextField();
        name.setId("source-name");
        name.textProperty().bindBidirectional(vm.nameProperty());
        ChoiceBox<Kind> kind = new ChoiceBox<>();
        kind.setId("source-kind");
        kind.getItems().addAll(Kind.values());
        kind.valueProperty().bindBidirectional(vm.kindProperty());
        TextField where = new TextField();
        where.setId("source-path");
        where.setPromptText("path, URL, camera number, or the managed stream's name");
        where.textProperty().bindBidirectional(vm.sourceProperty());
        HBox.setHgrow(where, Priority.ALWAYS);
        Button file = new Button("Browse file…");
        file.setId("browse-file");
        file.setOnAction(e -> browse(false));
        Button folder = new Button("Browse folder…");
        folder.setId("browse-folder");
        folder.setOnAction(e -> browse(true));
        CheckBox loop = new CheckBox("loop");
        loop.selectedProperty().bindBidirectional(vm.loopProperty());
        for (String t : TaskNames.KNOWN) {
            if (!t.equals("mosaic") && !t.equals("stitch") && !t.equals("annotate")) {
                CheckBox cb = new CheckBox(t);
                cb.setSelected(t.equals("people"));
                tasks.getChildren().add(cb);
            }
        }
        Label status = new Label();
        status.setId("source-status");
        status.textProperty().bind(vm.statusProperty());
        GridPane g = new GridPane();
        g.setHgap(8);
        g.setVgap(6);
        g.addRow(0, new Label("name"), withProblem(name, vm.nameProblemProperty(), "source-name-problem"));
        g.addRow(1, new Label("kind"), kind);
        g.addRow(2, new Label("source"), withProblem(new HBox(6, where, file, folder), vm.sourceProblemProperty(),
                "source-problem"));
        g.addRow(3, new Label(""), loop);
        g.addRow(4, new Label("tasks"), tasks);
        g.add(status, 1, 5);
        getDialogPane().setContent(g);
        getDialogPane().setPrefWidth(640);
        getDialogPane().getButtonTypes().addAll(ButtonType.OK, ButtonType.CANCEL);
        Button ok = (Button) getDialogPane().lookupButton(ButtonType.OK);
        ok.disableProperty().bind(vm.checkingProperty());
        // OK checks first: the dialog stays open (with what is wrong) until the stream was added
        ok.addEventFilter(ActionEvent.ACTION, e -> {
            e.consume();
            vm.submit(selectedTasks()).thenAccept(added -> added.ifPresent(s -> {
                setResult(s);
                close();
            }));
        });
        setResultConverter(b -> null);
        // Cancel while a source is being checked: the check must not add the stream after all
        setOnHidden(e -> vm.cancel());
        // a problem shown (or gone) changes the content's height: the window follows, or it would cut
        // the message off and push the buttons out of sight
        vm.nameProblemProperty().addListener((o, a, b) -> fit());
        vm.sourceProblemProperty().addListener((o, a, b) -> fit());
    }

    private void fit() {
        Platform.runLater(() -> {
            if (getDialogPane().getScene() != null && getDialogPane().getScene().getWindow() != null) {
                getDialogPane().getScene().getWindow().sizeToScene();
            }
        });
    }

    /** A field with its problem under it, in words, shown only when there is one. */
    private static Node withProblem(Node field, javafx.beans.value.ObservableStringValue problem, String id) {
        Label l = new Label();
        l.setId(id);
        l.getStyleClass().add("field-problem");
        l.setWrapText(true);
        l.setMaxWidth(560);
        l.setMinHeight(Region.USE_PREF_SIZE); // wrapped lines take their height instead of an ellipsis
        l.textProperty().bind(problem);
        l.visibleProperty().bind(l.textProperty().isNotEmpty());
        l.managedProperty().bind(l.visibleProperty());
        return new VBox(2, field, l);
    }

    private List<String> selectedTasks() {
        List<String> ts = new ArrayList<>();
        tasks.getChildren().forEach(n -> {
            if (((CheckBox) n).isSelected()) {
                ts.add(((CheckBox) n).getText());
            }
        });
        return ts;
    }

    /** The file chooser Browse file opens: videos, images, or anything FFmpeg might read. */
    static FileChooser fileChooser() {
        FileChooser fc = new FileChooser();
        fc.setTitle("Choose a video or an image");
        fc.getExtensionFilters().addAll(new FileChooser.ExtensionFilter("Videos", VIDEO_EXTENSIONS),
                new FileChooser.ExtensionFilter("Images", IMAGE_EXTENSIONS),
                new FileChooser.ExtensionFilter("All files", "*"));
        return fc;
    }

    private void browse(boolean folder) {
        Window owner = getDialogPane().getScene().getWindow();
        File start = vm.browseStart().map(java.nio.file.Path::toFile).orElse(null);
        nativeDialog.accept(true);
        File picked;
        try {
            if (folder) {
                DirectoryChooser dc = new DirectoryChooser();
                dc.setTitle("Choose a folder of images");
                dc.setInitialDirectory(start);
                picked = dc.showDialog(owner);
            } else {
                FileChooser fc = fileChooser();
                fc.setInitialDirectory(start);
                picked = fc.showOpenDialog(owner);
            }
        } catch (UnsupportedOperationException e) {
            // a platform without native dialogs (a headless one): typing the path is the way left
            vm.browseFailed("this display has no file chooser: type the path");
            return;
        } finally {
            nativeDialog.accept(false);
        }
        if (picked != null) {
            vm.picked(picked.toPath(), folder);
        }
    }
}
