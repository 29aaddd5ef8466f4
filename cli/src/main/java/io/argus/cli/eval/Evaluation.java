package io.argus.cli.eval;

import io.argus.task.api.people.PeopleConfig;
import io.argus.task.geom.Polygon;
import org.jspecify.annotations.Nullable;

import java.util.ArrayList;
import java.util.List;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Scores tracker output against MOTChallenge ground truth: CLEAR-MOT ({@link ClearMot}), identity
 * measures ({@link IdentityMetrics}), counting error per line and direction ({@link LineCrossings})
 * and occupancy error per frame and zone.
 *
 * <p><b>Which frames.</b> Ground truth is often labelled sparsely (every 10th frame). Scoring every
 * frame of the tracker output against it would turn every box on an unlabelled frame into a false
 * positive. With {@code gtFramesOnly} only the labelled frames are evaluated and tracker rows on
 * other frames are ignored, for every measure, counting included (both sides are then sampled on the
 * same frames). Left unset, it is on when the ground truth labels fewer frames than the tracker
 * output spans (first to last frame with a row). Otherwise every frame with ground truth or tracker
 * rows is evaluated, as MOTChallenge does. Occupancy is always judged on labelled frames only.
 */
public final class Evaluation {
    private Evaluation() {
    }

    /**
     * What is compared, and over which frames.
     *
     * @param gtFramesOnly null: decide from the data (see the class comment)
     * @param maxFrame     null: no limit; otherwise frames after it are left out of both files (an
     *                     analyze run that stopped early has no tracks after its last frame)
     */
    public record Options(List<ShapeSpecs.CountLine> lines, List<ShapeSpecs.CountZone> zones,
                          @Nullable Boolean gtFramesOnly, @Nullable Integer maxFrame, double countBand) {
        /** The tracks' counting band when none is given: the people task's default. */
        public static final double DEFAULT_COUNT_BAND = PeopleConfig.DEFAULT_BAND;

        public Options {
            lines = List.copyOf(lines);
            zones = List.copyOf(zones);
            if (!(countBand >= 0 && countBand <= 2)) {
                throw new IllegalArgumentException("the counting band is 0 to 2 person heights: " + countBand);
            }
        }

        public Options(List<ShapeSpecs.CountLine> lines, List<ShapeSpecs.CountZone> zones,
                       @Nullable Boolean gtFramesOnly, @Nullable Integer maxFrame) {
            this(lines, zones, gtFramesOnly, maxFrame, DEFAULT_COUNT_BAND);
        }

        public static Options defaults() {
            return new Options(List.of(), List.of(), null, null);
        }
    }

    public static EvalReport run(Sequence groundTruth, Sequence tracks, Options opt) {
        Sequence gt = groundTruth;
        Sequence tr = tracks;
        if (opt.maxFrame() != null) {
            gt = gt.onlyFrames(upTo(gt.labelledFrames(), opt.maxFrame()));
            tr = tr.onlyFrames(upTo(tr.labelledFrames(), opt.maxFrame()));
        }
        int trFirst = tr.frames().isEmpty() ? 0 : tr.frames().first();
        int trLast = tr.frames().isEmpty() ? 0 : tr.frames().last();
        int span = tr.frames().isEmpty() ? 0 : trLast - trFirst + 1;
        boolean auto = opt.gtFramesOnly() == null;
        boolean gtOnly = auto ? gt.labelledFrames().size() < span : Objects.requireNonNull(opt.gtFramesOnly());
        NavigableSet<Integer> frames = new TreeSet<>(gt.labelledFrames());
        if (!gtOnly) {
            frames.addAll(tr.frames());
        }
        Sequence trEval = gtOnly ? tr.onlyFrames(frames) : tr;

        ClearMot mot = new ClearMot();
        IdentityMetrics ids = new IdentityMetrics();
        for (int f : frames) {
            List<MotBox> g = gt.boxes(f);
            List<MotBox> h = trEval.boxes(f);
            long[] oids = new long[g.size()];
            long[] hids = new long[h.size()];
            double[][] iou = new double[g.size()][h.size()];
            for (int i = 0; i < g.size(); i++) {
                oids[i] = g.get(i).id();
                for (int j = 0; j < h.size(); j++) {
                    iou[i][j] = g.get(i).iou(h.get(j));
                }
            }
            for (int j = 0; j < h.size(); j++) {
                hids[j] = h.get(j).id();
            }
            mot.update(oids, hids, iou);
            ids.update(oids, hids, iou);
        }

        List<CountingError> counting = new ArrayList<>();
        for (ShapeSpecs.CountLine l : opt.lines()) {
            // the truth as labelled, the tracks as a counting system counts them (LineCrossings)
            long[] truth = LineCrossings.totals(gt, l.p1(), l.p2());
            long[] counted = LineCrossings.totals(trEval, l.p1(), l.p2(), opt.countBand());
            counting.add(new CountingError(l.name(), "in", truth[0], counted[0]));
            counting.add(new CountingError(l.name(), "out", truth[1], counted[1]));
        }
        List<OccupancyError> occupancy = new ArrayList<>();
        occupancy.add(occupancy("", null, gt, trEval));
        for (ShapeSpecs.CountZone z : opt.zones()) {
            occupancy.add(occupancy(z.name(), z.polygon(), gt, trEval));
        }
        EvalReport.Frames info = new EvalReport.Frames(frames.size(), gt.labelledFrames().size(), trFirst, trLast,
                gtOnly, auto, tr.rows() - trEval.rows(), opt.maxFrame());
        return new EvalReport(info, mot.result(), ids.result(), counting, occupancy);
    }

    private static OccupancyError occupancy(String name, @Nullable Polygon zone, Sequence gt, Sequence tr) {
        int n = 0;
        double sum = 0;
        int max = 0;
        for (int f : gt.labelledFrames()) {
            int err = Math.abs(count(tr.boxes(f), zone) - count(gt.boxes(f), zone));
            sum += err;
            max = Math.max(max, err);
            n++;
        }
        return new OccupancyError(name, n, sum, max);
    }

    /** People in a frame, or only those whose foot point is in the zone. */
    public static int count(List<MotBox> boxes, @Nullable Polygon zone) {
        int n = 0;
        for (MotBox b : boxes) {
            if (zone == null || zone.contains(b.foot())) {
                n++;
            }
        }
        return n;
    }

    private static NavigableSet<Integer> upTo(NavigableSet<Integer> frames, int last) {
        return frames.headSet(last, true);
    }
}
