package io.argus.agent.task.composite;

import io.argus.media.image.MatScope;
import io.argus.agent.task.StatefulTask;
import io.argus.agent.task.TaskContext;
import io.argus.protocol.v1.Code;
import io.argus.protocol.v1.TaskResult;
import io.argus.task.api.TaskException;
import io.argus.task.api.TaskNames;
import io.argus.task.api.composite.MosaicParams;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Point;
import org.opencv.core.Rect;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code mosaic}: the server-side camera wall. Frames of several cameras are sent on one "wall"
 * stream, each tagged with its {@code tile} name; the task keeps the latest picture of each tile
 * (overlays of the tasks that ran before it on the same frame burned in, with the tile's name and
 * status) and composes the wall.
 *
 * <p>A tile whose camera stopped never stalls the wall: when it has not been updated for
 * {@code staleMs} of the wall's time (the newest capture time seen), it is drawn greyed with
 * "STALE" and its age.
 *
 * <p>Parameters, their defaults and ranges: {@link MosaicParams}.
 */
public final class MosaicTask implements StatefulTask<MosaicState> {
    public static final String NAME = TaskNames.MOSAIC;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void validate(Map<String, String> params) throws TaskException {
        MosaicParams.parse(params);
    }

    @Override
    public TaskResult run(TaskContext ctx) throws TaskException {
        MosaicParams cfg = MosaicParams.parse(ctx.params());
        MosaicState st = ctx.state(this);
        st.nowUs = Math.max(st.nowUs, ctx.timeUs());
        st.requests++;
        MosaicState.Tile tile = st.tiles.computeIfAbsent(cfg.tile(), k -> new MosaicState.Tile());
        List<String> order = order(st, cfg);
        List<Rect> cells = MosaicLayout.cells(cfg.layout(), MosaicLayout.capacity(cfg.layout(), order.size()),
                cfg.width(), cfg.height());
        // a tile beyond the layout's capacity is kept (it may be pinned later) but not drawn
        updateTile(tile, ctx, cfg);
        TaskResult.Builder out = TaskResult.newBuilder().setTask(NAME).setStatus(Code.OK);
        out.putNumbers("mosaic.tiles", order.size());
        if (st.requests % cfg.every() != 0) {
            return out.build();
        }
        // the tile is updated (whole); the wall is drawn from the state, so stopping before it changes nothing
        ctx.checkBudget("mosaic.draw");
        int stale = 0;
        try (MatScope s = new MatScope()) {
            Mat wall = s.add(new Mat(cfg.height(), cfg.width(), CvType.CV_8UC3, new Scalar(24, 24, 24)));
            for (int i = 0; i < Math.min(cells.size(), order.size()); i++) {
                MosaicState.Tile t = Objects.requireNonNull(st.tiles.get(order.get(i))); // order lists the tiles
                boolean isStale = (st.nowUs - t.updatedUs) / 1000 > cfg.staleMs();
                stale += isStale ? 1 : 0;
                drawTile(wall, s, cells.get(i), order.get(i), t, isStale, (st.nowUs - t.updatedUs) / 1_000_000);
            }
            ctx.checkBudget("mosaic.encode");
            out.addImages(Jpeg.encode("mosaic", wall, cfg.quality()));
        }
        for (int i = 0; i < Math.min(cells.size(), order.size()); i++) {
            Rect c = cells.get(i);
            out.putStrings("mosaic.cell." + order.get(i), c.x + "," + c.y + "," + c.width + "," + c.height);
        }
        return out.putNumbers("mosaic.stale", stale).build();
    }

    /** Pinned tiles first (in the order given), then the others in the order they joined. */
    static List<String> order(MosaicState st, MosaicParams cfg) {
        List<String> out = new ArrayList<>();
        for (String p : cfg.pinned()) {
            if (st.tiles.containsKey(p)) {
                out.add(p);
            }
        }
        for (String k : st.tiles.keySet()) {
            if (!out.contains(k)) {
                out.add(k);
            }
        }
        return out;
    }

    private static void updateTile(MosaicState.Tile t, TaskContext ctx, MosaicParams cfg) {
        Mat frame = ctx.frame();
        // keep the tile at the size of the large 1+5 cell, 2/3 of the wall, whatever cell it has now:
        // the kept picture must not depend on which tiles were on the wall when it came, or the same
        // frames would draw another wall after a failover or in a segment of a parallel run. Only a
        // wall of one or two tiles draws a cell larger than that, upscaled at most 1.5x
        double keep = Math.min(1, Math.min((double) cfg.width() * 2 / 3 / frame.cols(), (double) cfg.height() * 2 / 3 / frame.rows()));
        Mat small = new Mat();
        Imgproc.resize(frame, small, new Size(Math.max(1, frame.cols() * keep), Math.max(1, frame.rows() * keep)), 0, 0,
                Imgproc.INTER_AREA);
        OverlayPainter.paint(small, ctx.earlier(), keep, 0, 0);
        if (t.image != null) {
            t.image.release();
        }
        t.image = small;
        t.updatedUs = ctx.timeUs();
        t.status = cfg.status();
    }

    private static void drawTile(Mat wall, MatScope s, Rect cell, String name, MosaicState.Tile t, boolean stale,
                                 long ageSeconds) {
        Mat img = Objects.requireNonNull(t.image); // a drawn tile has a picture
        double scale = Math.min((double) cell.width / img.cols(), (double) cell.height / img.rows());
        int w = Math.max(1, (int) Math.floor(img.cols() * scale));
        int h = Math.max(1, (int) Math.floor(img.rows() * scale));
        Mat fitted = s.add(new Mat());
        Imgproc.resize(img, fitted, new Size(w, h), 0, 0, scale < 1 ? Imgproc.INTER_AREA : Imgproc.INTER_LINEAR);
        if (stale) {
            Mat gray = s.add(new Mat());
            Imgproc.cvtColor(fitted, gray, Imgproc.COLOR_BGR2GRAY);
            Imgproc.cvtColor(gray, fitted, Imgproc.COLOR_GRAY2BGR);
            Core.multiply(fitted, new Scalar(0.5, 0.5, 0.5), fitted);
        }
        int x = cell.x + (cell.width - w) / 2;
        int y = cell.y + (cell.height - h) / 2;
        Mat dst = s.add(wall.submat(new Rect(x, y, w, h)));
        fitted.copyTo(dst);
        Imgproc.rectangle(wall, new Point(cell.x, cell.y), new Point(cell.x + cell.width - 1, cell.y + cell.height - 1),
                new Scalar(60, 60, 60), 1);
        Imgproc.rectangle(wall, new Point(cell.x, cell.y), new Point(cell.x + Math.min(cell.width, 12 + 9 * name.length()),
                cell.y + 20), new Scalar(0, 0, 0), -1);
        Imgproc.putText(wall, name, new Point(cell.x + 5, cell.y + 15), Imgproc.FONT_HERSHEY_SIMPLEX, 0.5,
                new Scalar(255, 255, 255), 1, Imgproc.LINE_AA);
        String badge = stale ? "STALE " + ageSeconds + "s" : t.status;
        if (!badge.isEmpty()) {
            Imgproc.putText(wall, badge, new Point(cell.x + 5, cell.y + cell.height - 8), Imgproc.FONT_HERSHEY_SIMPLEX,
                    stale ? 0.8 : 0.5, stale ? new Scalar(0, 0, 255) : new Scalar(200, 255, 200), stale ? 2 : 1,
                    Imgproc.LINE_AA);
        }
    }

    @Override
    public MosaicState newState() {
        return new MosaicState();
    }

    /** Pictures are not worth handing over: a moved wall fills again within one frame per camera. */
    @Override
    public byte[] exportState(MosaicState state) {
        return new byte[0];
    }

    @Override
    public MosaicState importState(byte[] data) {
        return new MosaicState();
    }

    @Override
    public long stateBytes(MosaicState state) {
        long n = 0;
        for (MosaicState.Tile t : state.tiles.values()) {
            n += 256 + MatScope.bytes(t.image);
        }
        return n;
    }

    @Override
    public void disposeState(MosaicState state) {
        state.close();
    }

    @Override
    public Class<MosaicState> stateType() {
        return MosaicState.class;
    }
}
