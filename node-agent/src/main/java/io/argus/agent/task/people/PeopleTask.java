package io.argus.agent.task.people;

import com.google.protobuf.ByteString;
import io.argus.media.image.MatScope;
import io.argus.agent.task.EventIds;
import io.argus.agent.task.StatefulTask;
import io.argus.agent.task.TaskContext;
import io.argus.protocol.v1.Box;
import io.argus.protocol.v1.Code;
import io.argus.protocol.v1.Event;
import io.argus.protocol.v1.Overlay;
import io.argus.protocol.v1.Point;
import io.argus.protocol.v1.Polyline;
import io.argus.protocol.v1.TaskResult;
import io.argus.task.api.TaskException;
import io.argus.task.api.TaskNames;
import io.argus.task.api.people.CountingLine;
import io.argus.task.api.people.PeopleConfig;
import io.argus.task.api.people.Zone;
import io.argus.task.geom.BoxF;
import io.argus.task.geom.Pt;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.core.Rect;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * {@code people}: detection, tracking, line crossings and zone occupancy.
 *
 * <p>Per frame: the motion gate (MOG2) finds what moves; the detector searches only there and
 * around the predicted positions of the people already tracked (so someone who stops walking is
 * not lost), plus the whole frame every {@code fullEveryMs} (so people who were still from the
 * start are found). Detections go through non-maximum suppression into the tracker; confirmed
 * tracks feed the line counters and zones.
 *
 * <p>Result: a box per visible tracked person (label "person", track id), each line as a polyline
 * labelled with its totals, each zone as a closed polyline; numbers {@code people.visible} (boxes
 * drawn), {@code people.occupancy} (people present, including those coasting through an
 * occlusion), {@code people.detections}, {@code line.NAME.in|out} (cumulative),
 * {@code zone.NAME.occupancy}, {@code zone.NAME.dwell_max_s}, {@code zone.NAME.entries|exits}
 * (cumulative); a {@code crossing} event per crossing, with a thumbnail, and {@code zone_enter} /
 * {@code zone_exit} events (the exit with {@code dwell_s}).
 */
public final class PeopleTask implements StatefulTask<PeopleState> {
    public static final String NAME = TaskNames.PEOPLE;
    /** Unused since occupancy decides presence ({@link Occupancy}); kept for the state format's readers. */
    static final int PRESENT_MISSES = 3;

    private final PersonDetector detector;

    public PeopleTask(PersonDetector detector) {
        this.detector = detector;
    }

    @Override
    public long maxPixels() {
        return HEAVY_TASK_MAX_PIXELS;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void validate(Map<String, String> params) throws TaskException {
        PeopleConfig.parse(params);
    }

    @Override
    public PeopleState newState() {
        return new PeopleState();
    }

    @Override
    public Class<PeopleState> stateType() {
        return PeopleState.class;
    }

    @Override
    public byte[] exportState(PeopleState state) {
        return state.export();
    }

    @Override
    public PeopleState importState(byte[] data) throws TaskException {
        try {
            return PeopleState.restore(data);
        } catch (IOException e) {
            throw new TaskException(Code.BAD_REQUEST, "people state does not parse: " + e.getMessage());
        }
    }

    @Override
    public void disposeState(PeopleState state) {
        state.close();
    }

    /** Per track: its box, history and colour histogram, about 1 KiB on the heap. */
    static final long TRACK_BYTES = 1024;

    @Override
    public long stateBytes(PeopleState state) {
        return state.gate.bytes() + TRACK_BYTES * state.tracker.tracks.size();
    }

    @Override
    public Map<String, Long> counters(PeopleState state) {
        return state.counters();
    }

    @Override
    public TaskResult run(TaskContext ctx) throws TaskException {
        PeopleConfig cfg = PeopleConfig.parse(ctx.params());
        Mat frame = ctx.frame();
        cfg.checkFits(frame.cols(), frame.rows());
        PeopleState st = ctx.state(this);
        ctx.checkBudget("people.motion");
        st.configure(cfg);
        st.frames++;
        double minPersonPx = cfg.minHeight() * frame.rows();
        long now = ctx.timeUs();

        List<Rect> motion = st.gate.regions(frame, minPersonPx * minPersonPx / 12);
        boolean full = !cfg.motion() || !detector.prefersRegions() || st.lastFullUs == Long.MIN_VALUE
                || now < st.lastFullUs || now - st.lastFullUs >= cfg.fullEveryMs() * 1000;
        long lastFull = st.lastFullUs;
        int rows = frame.rows();
        List<SearchRegion> regions;
        if (full) {
            st.lastFullUs = now;
            if (cfg.perspective() && st.heights.trusted()) {
                // each band of rows at the scale of the people the learned perspective puts there
                regions = PerspectiveBands.of(st.heights, frame.cols(), rows, minPersonPx);
            } else {
                regions = List.of(new SearchRegion(new Rect(0, 0, frame.cols(), rows),
                        Math.max(1, Regions.scaleFor(minPersonPx))));
            }
        } else {
            List<Regions.Seed> seeds = new ArrayList<>();
            for (Rect r : motion) {
                // a moving blob is a person or part of one: search at the scale of the smallest
                // person expected where its feet are (the pyramid covers anyone bigger); before
                // the perspective is learned, at least the configured smallest person
                double expect = cfg.perspective() && st.heights.trusted() ? st.heights.smallest(r.y + r.height, rows)
                        : Math.max(r.height, minPersonPx);
                seeds.add(new Regions.Seed(new BoxF(r.x, r.y, r.width, r.height), expect));
            }
            for (Track t : st.tracker.tracks) {
                if (t.confirmed() || t.hits >= 2) {
                    seeds.add(new Regions.Seed(t.box(), t.h));
                }
            }
            regions = Regions.build(seeds, frame.cols(), frame.rows());
        }
        double scanned = Regions.scannedArea(regions) / (frame.cols() * (double) frame.rows());
        List<Detection> dets = new ArrayList<>();
        try {
            // stage boundaries: before the search, between its regions, and before the tracker
            // takes the detections. Stopped there, the tracks, lines and zones are as the previous
            // frame left them (the background model has seen this frame, as it sees frames with
            // nobody in them), and the next frame searches the whole picture again
            ctx.checkBudget("people.detect");
            if (!regions.isEmpty()) {
                for (Detection d : Nms.suppress(detector.detect(frame, regions, cfg, ctx.budget()), 0.4)) {
                    dets.add(d.withAppearance(Appearance.of(frame, d.box())));
                }
            }
            ctx.checkBudget("people.track");
        } catch (TaskException e) {
            st.lastFullUs = lastFull;
            throw e;
        }
        st.tracker.update(dets, ctx.sourceIndex());

        Set<Long> live = new HashSet<>();
        for (Track t : st.tracker.tracks) {
            if (t.confirmed()) {
                live.add(t.id);
                if (t.misses == 0) {
                    st.heights.add(t.foot().y(), t.h);
                }
            }
        }
        List<Track> present = Occupancy.present(st.tracker.tracks, frame.cols(), rows);
        List<Track> seenNow = present.stream().filter(t -> t.misses == 0).toList();
        TaskResult.Builder out = TaskResult.newBuilder().setTask(NAME).setStatus(Code.OK);
        for (LineCrossingCounter c : st.counters.values()) {
            for (LineCrossingCounter.Crossing x : c.update(seenNow)) {
                out.addEvents(crossingEvent(ctx, x, frame));
            }
            c.retain(live);
            out.putNumbers("line." + c.line().name() + ".in", (double) c.in);
            out.putNumbers("line." + c.line().name() + ".out", (double) c.out);
            out.addOverlays(lineOverlay(c));
        }
        for (Zone z : cfg.zones()) {
            ZoneCounter zc = new ZoneCounter(z, Objects.requireNonNull(st.zoneEntered.get(z.name())), // kept per zone
                    Objects.requireNonNull(st.zoneTotals.get(z.name())));
            for (ZoneCounter.Change c : zc.update(present, now)) {
                out.addEvents(zoneEvent(ctx, z.name(), c));
            }
            out.putNumbers("zone." + z.name() + ".occupancy", zc.occupancy());
            out.putNumbers("zone." + z.name() + ".dwell_max_s", Math.round(zc.maxDwellSeconds(now) * 10) / 10.0);
            out.putNumbers("zone." + z.name() + ".entries", (double) zc.entries());
            out.putNumbers("zone." + z.name() + ".exits", (double) zc.exits());
            out.addOverlays(zoneOverlay(z, zc.occupancy()));
        }
        int drawn = 0;
        for (Track t : present) {
            drawn++;
            BoxF b = t.box();
            out.addOverlays(Overlay.newBuilder().setBox(Box.newBuilder().setX((float) b.x()).setY((float) b.y())
                    .setWidth((float) b.w()).setHeight((float) b.h()).setLabel("person")
                    .setScore((float) t.score).setTrackId(t.id).setPredicted(t.misses > 0)));
        }
        out.putNumbers("people.visible", drawn);
        out.putNumbers("people.occupancy", present.size());
        out.putNumbers("people.detections", dets.size());
        // pixels searched relative to one frame at scale 1: what the motion gate saves
        out.putNumbers("people.search_fraction", Math.round(scanned * 1000) / 1000.0);
        out.putNumbers("people.full_search", full ? 1 : 0);
        out.putNumbers("people.regions", regions.size());
        out.putNumbers("people.motion_blobs", motion.size());
        return out.build();
    }

    private static Overlay lineOverlay(LineCrossingCounter c) {
        CountingLine l = c.line();
        return Overlay.newBuilder().setPolyline(Polyline.newBuilder()
                .addPoints(Point.newBuilder().setX((float) l.p1().x()).setY((float) l.p1().y()))
                .addPoints(Point.newBuilder().setX((float) l.p2().x()).setY((float) l.p2().y()))
                .setLabel(l.name() + " in " + c.in + " out " + c.out).setRgb(0xffc107)).build();
    }

    private static Overlay zoneOverlay(Zone z, int occupancy) {
        Polyline.Builder p = Polyline.newBuilder().setClosed(true).setLabel(z.name() + ": " + occupancy).setRgb(0x26c6da);
        for (Pt pt : z.polygon().points()) {
            p.addPoints(Point.newBuilder().setX((float) pt.x()).setY((float) pt.y()));
        }
        return Overlay.newBuilder().setPolyline(p).build();
    }

    private static Event zoneEvent(TaskContext ctx, String zone, ZoneCounter.Change c) {
        String type = c.entered() ? "zone_enter" : "zone_exit";
        Event.Builder e = Event.newBuilder()
                .setId(EventIds.of(ctx, NAME, type, zone, c.trackId()))
                .setType(type).setStreamId(ctx.streamId()).setSourceIndex(ctx.sourceIndex())
                .setTimeUs(ctx.eventTimeUs())
                .putAttributes("zone", zone).putAttributes("track", Long.toString(c.trackId()));
        if (!c.entered()) {
            e.putAttributes("dwell_s", Double.toString(Math.round(c.dwellSeconds() * 10) / 10.0));
        }
        return e.build();
    }

    private static Event crossingEvent(TaskContext ctx, LineCrossingCounter.Crossing x, Mat frame) {
        return Event.newBuilder()
                // what it is, not when it was computed: a replayed frame records the same event again
                .setId(EventIds.of(ctx, NAME, "crossing", x.line(), x.trackId()))
                .setType("crossing").setStreamId(ctx.streamId()).setSourceIndex(ctx.sourceIndex())
                .setTimeUs(ctx.eventTimeUs())
                .putAttributes("line", x.line()).putAttributes("direction", x.in() ? "in" : "out")
                .putAttributes("track", Long.toString(x.trackId()))
                .setThumbnailJpeg(thumbnail(frame, x.at()))
                .build();
    }

    /** A small picture around the crossing point: evidence for the record, at most 160x120. */
    static ByteString thumbnail(Mat frame, Pt at) {
        int w = Math.min(frame.cols(), frame.rows() / 2);
        int h = Math.min(frame.rows(), frame.rows() / 2);
        int x = (int) Math.max(0, Math.min(frame.cols() - w, at.x() - w / 2.0));
        int y = (int) Math.max(0, Math.min(frame.rows() - h, at.y() - h * 0.8));
        try (MatScope s = new MatScope()) {
            Mat crop = s.add(frame.submat(new Rect(x, y, w, h)));
            Mat small = s.add(new Mat());
            double scale = Math.min(1, Math.min(160.0 / w, 120.0 / h));
            Imgproc.resize(crop, small, new Size(Math.max(1, w * scale), Math.max(1, h * scale)), 0, 0, Imgproc.INTER_AREA);
            MatOfByte jpg = s.add(new MatOfByte());
            MatOfInt q = s.add(new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, 70));
            Imgcodecs.imencode(".jpg", small, jpg, q);
            return ByteString.copyFrom(jpg.toArray());
        }
    }

    @Override
    public void close() {
        detector.close();
    }
}
