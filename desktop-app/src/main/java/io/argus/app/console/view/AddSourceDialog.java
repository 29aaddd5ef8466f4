package io.argus.app.console.view;

import io.argus.task.api.TaskNames;
import javafx.scene.control.ButtonType;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.GridPane;

import java.util.ArrayList;
import java.util.List;

/** Asks for a new source: a name, what it is (file, folder, URL, camera, managed stream), and its tasks. */
final class AddSourceDialog extends Dialog<AddSourceDialog.Answer> {
    record Answer(String name, String source, boolean loop, List<String> tasks) {
    }

    AddSourceDialog() {
        setTitle("Add a source");
        TextField name = new TextField();
        name.setId("source-name");
        ChoiceBox<String> kind = new ChoiceBox<>();
        kind.getItems().addAll("video file", "image folder", "RTSP/HTTP URL", "camera index", "managed stream");
        kind.setValue("video file");
        TextField where = new TextField();
        where.setId("source-path");
        where.setPromptText("path, URL, camera number, or the managed stream's name");
        CheckBox loop = new CheckBox("loop");
        FlowPane tasks = new FlowPane(6, 4);
        for (String t : TaskNames.KNOWN) {
            if (!t.equals("mosaic") && !t.equals("stitch") && !t.equals("annotate")) {
                CheckBox cb = new CheckBox(t);
                cb.setSelected(t.equals("people"));
                tasks.getChildren().add(cb);
            }
        }
        GridPane g = new GridPane();
        g.setHgap(8);
        g.setVgap(6);
        g.addRow(0, new Label("name"), name);
        g.addRow(1, new Label("kind"), kind);
        g.addRow(2, new Label("source"), where);
        g.addRow(3, new Label(""), loop);
        g.addRow(4, new Label("tasks"), tasks);
        getDialogPane().setContent(g);
        getDialogPane().getButtonTypes().addAll(ButtonType.OK, ButtonType.CANCEL);
        setResultConverter(b -> {
            if (b != ButtonType.OK || name.getText().isBlank()) {
                return null;
            }
            List<String> ts = new ArrayList<>();
            tasks.getChildren().forEach(n -> {
                if (((CheckBox) n).isSelected()) {
                    ts.add(((CheckBox) n).getText());
                }
            });
            String src = switch (kind.getValue()) {
                case "camera index" -> "camera:" + where.getText().trim();
                case "managed stream" -> "managed";
                default -> where.getText().trim();
            };
            return new Answer(kind.getValue().equals("managed stream") ? where.getText().trim() : name.getText().trim(),
                    src, loop.isSelected(), ts);
        });
    }
}
