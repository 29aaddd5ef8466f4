package io.argus.cli.analyze;

import org.jspecify.annotations.Nullable;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.argus.cli.analyze.PeopleReport.NamedLine;
import io.argus.cli.analyze.PeopleReport.NamedZone;
import io.argus.cli.eval.EvalInputException;
import io.argus.cli.eval.EvalReport;
import io.argus.cli.eval.Evaluation;
import io.argus.cli.eval.MotReader;
import io.argus.cli.eval.Sequence;
import io.argus.cli.eval.ShapeSpecs;
import io.argus.protocol.v1.Event;

import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * An analyze run against ground truth ({@code --gt}): the agent's own crossings per line and
 * occupancy per labelled frame and zone, and its tracks scored by the evaluation library exactly
 * as {@code argus eval} scores the {@code --mot-out} file. Prints a human-readable report too.
 */
final class GroundTruthComparison {
    private final List<NamedLine> lines;
    private final List<NamedZone> zones;
    private final GroundTruth gt;
    private final PrintStream report;

    GroundTruthComparison(List<NamedLine> lines, List<NamedZone> zones, GroundTruth gt, PrintStream report) {
        this.lines = lines;
        this.zones = zones;
        this.gt = gt;
        this.report = report;
    }

    /**
     * Compares one stream (ground truth describes one sequence).
     *
     * @param motFile the {@code --mot-out} file of that stream, or null without {@code --mot-out}
     *                (asked for only when the tracks are scored)
     */
    ObjectNode compare(StreamTally d, @Nullable Supplier<Path> motFile) {
        ObjectNode out = summary();
        int last = gt.lastFrame();
        ObjectNode ln = out.putObject("lines");
        for (NamedLine l : lines) {
            List<GroundTruth.Crossing> truth = gt.crossings(l.p1(), l.p2());
            long gtIn = truth.stream().filter(GroundTruth.Crossing::in).count();
            long gtOut = truth.size() - gtIn;
            long in = 0;
            long outs = 0;
            for (Event e : d.crossings) {
                if (e.getSourceIndex() + 1 <= last && l.name().equals(e.getAttributesOrDefault("line", ""))) {
                    if ("in".equals(e.getAttributesOrDefault("direction", ""))) {
                        in++;
                    } else {
                        outs++;
                    }
                }
            }
            ln.putObject(l.name()).put("frames", last).put("gt_in", gtIn).put("gt_out", gtOut)
                    .put("in", in).put("out", outs).put("error", Math.abs(in - gtIn) + Math.abs(outs - gtOut));
            report.printf("ground truth, line %s over frames 1-%d: agent counted in %d (truth %d), out %d (truth %d), error %d%n",
                    l.name(), last, in, gtIn, outs, gtOut, Math.abs(in - gtIn) + Math.abs(outs - gtOut));
        }
        ObjectNode occ = out.putObject("occupancy");
        List<NamedZone> all = new ArrayList<>(zones);
        all.add(0, new NamedZone("", null));
        for (NamedZone z : all) {
            double sumAbs = 0;
            int n = 0;
            int maxAbs = 0;
            for (int f : gt.labelledFrames()) {
                Map<String, Double> counts = d.perFrame.get((long) f);
                if (counts == null) {
                    continue;
                }
                int truth = gt.count(f, z.polygon());
                int mine = (int) Math.round(counts.getOrDefault(z.name(), 0.0));
                sumAbs += Math.abs(mine - truth);
                maxAbs = Math.max(maxAbs, Math.abs(mine - truth));
                n++;
            }
            String key = z.name().isEmpty() ? "frame" : z.name();
            double mae = n == 0 ? 0 : sumAbs / n;
            occ.putObject(key).put("frames", n).put("mean_abs_error", Math.round(mae * 100) / 100.0).put("max_abs_error", maxAbs);
            report.printf("ground truth, people in %s over %d labelled frames (agent's %s): mean absolute error %.2f, max %d%n",
                    z.name().isEmpty() ? "the whole frame" : "zone " + z.name(), n,
                    z.name().isEmpty() ? (d.occupancyReported ? "people.occupancy" : "people.visible") : "zone." + z.name() + ".occupancy",
                    mae, maxAbs);
        }
        ObjectNode tracks = scoreTracks(d, motFile);
        if (tracks != null) {
            out.set("tracks", tracks);
        }
        return out;
    }

    /**
     * The tracks this run wrote (or would write with {@code --mot-out}) scored by the evaluation
     * library: the same figures as {@code argus eval} on the {@code --mot-out} file with the same
     * lines and zones. Ground-truth frames after the last analysed frame are left out
     * ({@code --max-frame}), since the run produced nothing for them.
     */
    private @Nullable ObjectNode scoreTracks(StreamTally d, @Nullable Supplier<Path> motFile) {
        Sequence tracks;
        try {
            tracks = MotReader.read(new StringReader(d.motRows.toString()),
                    motFile != null ? motFile.get() : Path.of("<analyze tracks>"), MotReader.Kind.TRACKS);
        } catch (EvalInputException e) {
            report.println("ground truth: the tracks cannot be evaluated: " + e.getMessage());
            return null;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Integer maxFrame = d.lastFrame > 0 && d.lastFrame < gt.lastFrame() ? (int) d.lastFrame : null;
        List<ShapeSpecs.CountLine> ls = lines.stream().map(l -> new ShapeSpecs.CountLine(l.name(), l.p1(), l.p2())).toList();
        List<ShapeSpecs.CountZone> zs = zones.stream().map(z -> new ShapeSpecs.CountZone(z.name(), z.polygon())).toList();
        EvalReport r = Evaluation.run(gt.sequence(), tracks, new Evaluation.Options(ls, zs, null, maxFrame));
        report.println("ground truth vs the tracks (the figures argus eval gives for the " + (motFile != null ? "--mot-out file" : "tracks in MOT format")
                + (maxFrame != null ? " with --max-frame " + maxFrame : "") + "):");
        report.print(r.table());
        return r.toJson();
    }

    private static ObjectNode summary() {
        return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    }
}
