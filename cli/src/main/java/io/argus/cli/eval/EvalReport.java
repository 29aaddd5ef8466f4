package io.argus.cli.eval;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jspecify.annotations.Nullable;

import java.util.List;
import java.util.Locale;

/**
 * What an {@link Evaluation} found, as JSON ({@link #toJson()}) and as a table for people
 * ({@link #table()}). Scores without a defined value (no ground truth, no matches) are JSON null
 * and "-" in the table.
 */
public record EvalReport(Frames frames, ClearMotResult clearMot, IdentityResult identity,
                         List<CountingError> counting, List<OccupancyError> occupancy) {

    /**
     * Which frames were evaluated: {@code evaluated} frames, of which {@code gtLabelled} labelled in
     * the ground truth; the tracker's rows span {@code trackerFirst..trackerLast};
     * {@code gtFramesOnly} and whether that was decided from the data ({@code auto});
     * {@code ignoredTrackerRows} rows left out because their frames are not evaluated.
     */
    public record Frames(int evaluated, int gtLabelled, int trackerFirst, int trackerLast, boolean gtFramesOnly,
                         boolean auto, int ignoredTrackerRows, @Nullable Integer maxFrame) {

        public String explain() {
            StringBuilder s = new StringBuilder();
            s.append(String.format(Locale.ROOT, "%d frames evaluated", evaluated));
            if (maxFrame != null) {
                s.append(String.format(Locale.ROOT, " (up to frame %d)", maxFrame));
            }
            int span = trackerLast == 0 ? 0 : trackerLast - trackerFirst + 1;
            if (gtFramesOnly) {
                s.append(": ground-truth frames only");
                if (auto) {
                    s.append(String.format(Locale.ROOT, " (on by default: the ground truth labels %d frames,"
                            + " fewer than the %d the tracks span, %d-%d)", gtLabelled, span, trackerFirst, trackerLast));
                }
                s.append(String.format(Locale.ROOT, "; %d tracker rows on other frames ignored", ignoredTrackerRows));
            } else {
                s.append(String.format(Locale.ROOT, ": every frame with ground truth or tracks (%d labelled in the ground truth",
                        gtLabelled));
                s.append(span > 0 ? String.format(Locale.ROOT, ", tracks on %d-%d)", trackerFirst, trackerLast) : ", no tracks)");
            }
            return s.toString();
        }
    }

    public ObjectNode toJson() {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ObjectNode f = root.putObject("frames");
        f.put("evaluated", frames.evaluated()).put("gt_labelled", frames.gtLabelled())
                .put("tracker_first", frames.trackerFirst()).put("tracker_last", frames.trackerLast())
                .put("gt_frames_only", frames.gtFramesOnly()).put("gt_frames_only_auto", frames.auto())
                .put("tracker_rows_ignored", frames.ignoredTrackerRows());
        if (frames.maxFrame() != null) {
            f.put("max_frame", frames.maxFrame());
        }
        f.put("note", frames.explain());
        ClearMotResult m = clearMot;
        ObjectNode cm = root.putObject("clear_mot");
        cm.put("num_objects", m.numObjects()).put("num_hypotheses", m.numHypotheses())
                .put("num_matches", m.numMatches()).put("num_switches", m.numSwitches())
                .put("num_detections", m.numDetections())
                .put("num_false_positives", m.numFalsePositives()).put("num_misses", m.numMisses());
        put(cm, "mota", m.mota());
        put(cm, "motp_iou", m.motpIou());
        put(cm, "motp_distance", m.motpDistance());
        put(cm, "precision", m.precision());
        put(cm, "recall", m.recall());
        cm.put("num_unique_objects", m.numUniqueObjects()).put("mostly_tracked", m.mostlyTracked())
                .put("partially_tracked", m.partiallyTracked()).put("mostly_lost", m.mostlyLost());
        cm.put("note", "py-motmetrics MOTAccumulator semantics, distance 1-IoU, max_iou 0.5 (pairs need IoU >= 0.5);"
                + " motp_iou is the mean IoU of matched pairs, motp_distance py-motmetrics' motp (mean 1-IoU)");
        ObjectNode id = root.putObject("identity");
        id.put("idtp", identity.idtp()).put("idfp", identity.idfp()).put("idfn", identity.idfn());
        put(id, "idf1", identity.idf1());
        put(id, "idp", identity.idp());
        put(id, "idr", identity.idr());
        ObjectNode lines = root.putObject("lines");
        for (CountingError c : counting) {
            ObjectNode d = lines.withObjectProperty(c.line()).putObject(c.direction());
            d.put("truth", c.truth()).put("counted", c.counted()).put("abs_error", c.absoluteError());
            put(d, "rel_error", c.relativeError());
        }
        ObjectNode occ = root.putObject("occupancy");
        for (OccupancyError o : occupancy) {
            ObjectNode z = occ.putObject(o.zone().isEmpty() ? "frame" : o.zone());
            z.put("frames", o.frames());
            put(z, "mean_abs_error", o.meanAbsError());
            z.put("max_abs_error", o.maxAbsError());
        }
        return root;
    }

    private static void put(ObjectNode n, String key, double v) {
        if (Double.isNaN(v)) {
            n.putNull(key);
        } else {
            n.put(key, Math.round(v * 10000) / 10000.0);
        }
    }

    public String table() {
        StringBuilder s = new StringBuilder();
        ClearMotResult m = clearMot;
        s.append(frames.explain()).append('\n');
        s.append("CLEAR-MOT (py-motmetrics semantics: a pair may match when IoU >= 0.5)\n");
        row(s, "MOTA", pct(m.mota()), String.format(Locale.ROOT, "1 - (FN %d + FP %d + IDSW %d) / %d ground-truth boxes",
                m.numMisses(), m.numFalsePositives(), m.numSwitches(), m.numObjects()));
        row(s, "MOTP", num(m.motpIou()), "mean IoU of matched pairs (py-motmetrics motp, mean 1-IoU: " + num(m.motpDistance()) + ")");
        row(s, "precision", pct(m.precision()), String.format(Locale.ROOT, "%d matched of %d tracker boxes",
                m.numDetections(), m.numHypotheses()));
        row(s, "recall", pct(m.recall()), String.format(Locale.ROOT, "%d matched of %d ground-truth boxes",
                m.numDetections(), m.numObjects()));
        row(s, "matches", Long.toString(m.numMatches()), "plus " + m.numSwitches() + " ID switches (IDSW)");
        row(s, "FP / FN", m.numFalsePositives() + " / " + m.numMisses(), "");
        row(s, "tracks", Integer.toString(m.numUniqueObjects()), String.format(Locale.ROOT,
                "ground-truth: mostly tracked %d, partially %d, mostly lost %d", m.mostlyTracked(), m.partiallyTracked(), m.mostlyLost()));
        s.append("Identity (Ristani et al. 2016: one-to-one trajectory matching over the sequence)\n");
        row(s, "IDF1", pct(identity.idf1()), String.format(Locale.ROOT, "2 IDTP %d / (%d + %d boxes)",
                identity.idtp(), identity.numObjects(), identity.numHypotheses()));
        row(s, "IDP", pct(identity.idp()), "IDFP " + identity.idfp());
        row(s, "IDR", pct(identity.idr()), "IDFN " + identity.idfn());
        if (!counting.isEmpty()) {
            s.append("Counting (foot-point crossings between consecutive positions on the evaluated frames)\n");
            s.append(String.format(Locale.ROOT, "  %-12s %-4s %7s %8s %10s %10s%n", "line", "dir", "truth", "counted", "abs error", "rel error"));
            for (CountingError c : counting) {
                s.append(String.format(Locale.ROOT, "  %-12s %-4s %7d %8d %10d %10s%n", c.line(), c.direction(), c.truth(),
                        c.counted(), c.absoluteError(), pct(c.relativeError())));
            }
        }
        s.append("Occupancy (people per ground-truth frame, judged on foot points)\n");
        s.append(String.format(Locale.ROOT, "  %-14s %7s %8s %5s%n", "where", "frames", "MAE", "max"));
        for (OccupancyError o : occupancy) {
            s.append(String.format(Locale.ROOT, "  %-14s %7d %8s %5d%n", o.zone().isEmpty() ? "whole frame" : "zone " + o.zone(),
                    o.frames(), num(o.meanAbsError()), o.maxAbsError()));
        }
        return s.toString();
    }

    private static void row(StringBuilder s, String name, String value, String how) {
        s.append(String.format(Locale.ROOT, "  %-10s %8s   %s%n", name, value, how).stripTrailing()).append('\n');
    }

    private static String pct(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.1f%%", v * 100);
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.3f", v);
    }
}
