package io.argus.app.console.view;

import io.argus.app.console.model.ConsoleModel;
import io.argus.app.console.feed.FramePicture;
import io.argus.app.console.model.StreamViewModel;
import io.argus.client.ArgusClient;
import io.argus.client.FrameEncoder;
import io.argus.client.StreamResult;
import io.argus.client.StreamSession;
import io.argus.client.StreamSpec;
import io.argus.media.VideoFrame;
import io.argus.protocol.Envelopes;
import io.argus.protocol.v1.ImageData;
import io.argus.protocol.v1.TaskRequest;
import io.argus.protocol.v1.TaskResult;
import javafx.application.Platform;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import org.jspecify.annotations.Nullable;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Composites made by the agents: the camera-wall mosaic of all streams, or the panorama of two
 * overlapping cameras. The console sends each stream's latest picture twice a second on a wall
 * stream, tagged with its tile (or camera) name, and shows what comes back.
 */
public final class CompositePane extends BorderPane {
    private final ConsoleModel model;
    private final ImageView view = new ImageView();
    private final Label status = new Label("not running");
    private final ChoiceBox<String> mode = new ChoiceBox<>();
    private final AtomicReference<ImageData> latest = new AtomicReference<>();
    private volatile @Nullable Thread worker;
    private @Nullable StreamSession session;

    public CompositePane(ConsoleModel model) {
        this.model = model;
        mode.getItems().addAll("wall mosaic", "panorama of the first two streams");
        mode.setValue("wall mosaic");
        Button start = new Button("start");
        Button stop = new Button("stop");
        start.setOnAction(e -> start());
        stop.setOnAction(e -> stop());
        view.setPreserveRatio(true);
        view.fitWidthProperty().bind(widthProperty().subtract(10));
        view.fitHeightProperty().bind(heightProperty().subtract(60));
        setTop(new HBox(8, mode, start, stop, status));
        setCenter(view);
    }

    private synchronized void start() {
        stop();
        boolean pano = mode.getValue().startsWith("panorama");
        ArgusClient client = model.client();
        String stream = pano ? "console-panorama" : "console-wall";
        session = client.open(StreamSpec.builder(stream).tasks(List.of(TaskRequest.newBuilder()
                .setName(pano ? "stitch" : "mosaic").build())).window(4).build(), this::onResult);
        StreamSession s = session;
        List<StreamViewModel> vms = new ArrayList<>(model.streams());
        Thread t = new Thread(() -> pump(s, pano, vms), "argus-composite");
        t.setDaemon(true);
        worker = t;
        t.start();
        status.setText("running");
    }

    private void pump(StreamSession s, boolean pano, List<StreamViewModel> vms) {
        FrameEncoder enc = FrameEncoder.jpeg(75);
        long n = 0;
        List<StreamViewModel> sources = pano ? vms.subList(0, Math.min(2, vms.size())) : vms;
        while (worker == Thread.currentThread()) {
            for (StreamViewModel vm : sources) {
                FramePicture p = vm.picture(true);
                if (p == null) {
                    continue;
                }
                byte[] bgr = new byte[p.width() * p.height() * 3];
                int[] argb = p.argb();
                for (int i = 0; i < argb.length; i++) {
                    bgr[i * 3] = (byte) argb[i];
                    bgr[i * 3 + 1] = (byte) (argb[i] >> 8);
                    bgr[i * 3 + 2] = (byte) (argb[i] >> 16);
                }
                TaskRequest task = pano
                        ? TaskRequest.newBuilder().setName("stitch").putParams("camera", vm.getName()).build()
                        : TaskRequest.newBuilder().setName("mosaic").putParams("tile", vm.getName())
                        .putParams("status", vm.badgeProperty().get()).putParams("width", "1280")
                        .putParams("height", "720").putParams("every", Integer.toString(Math.max(1, sources.size())))
                        .build();
                try {
                    s.submit(n, Envelopes.nowMicros(), 0, enc.encode(new VideoFrame(n, 0, p.width(), p.height(), bgr)),
                            List.of(task), null);
                    n++;
                } catch (InterruptedException e) {
                    return;
                }
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void onResult(StreamResult r) {
        if (!r.ok()) {
            Platform.runLater(() -> status.setText(r.error() + ": " + r.errorMessage()));
            return;
        }
        for (TaskResult t : r.okResult().getTasksList()) {
            if (!t.getStatus().name().equals("OK")) {
                String msg = t.getMessage();
                Platform.runLater(() -> status.setText(msg));
            }
            for (ImageData img : t.getImagesList()) {
                // only the newest composite is kept; the JavaFX thread picks it up once
                if (latest.getAndSet(img) == null) {
                    Platform.runLater(this::showLatest);
                }
            }
        }
    }

    private void showLatest() {
        ImageData img = latest.getAndSet(null);
        if (img != null) {
            view.setImage(new Image(new ByteArrayInputStream(img.getData().toByteArray())));
            status.setText(img.getName() + " " + img.getWidth() + "x" + img.getHeight());
        }
    }

    public synchronized void stop() {
        worker = null;
        if (session != null) {
            session.close();
            session = null;
        }
        status.setText("stopped");
    }
}
