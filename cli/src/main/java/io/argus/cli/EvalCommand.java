package io.argus.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.argus.cli.eval.EvalInputException;
import io.argus.cli.eval.EvalReport;
import io.argus.cli.eval.Evaluation;
import io.argus.cli.eval.MotReader;
import io.argus.cli.eval.Sequence;
import io.argus.cli.eval.ShapeSpecs;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code argus eval}: scores tracker output against MOTChallenge ground truth the standard way
 * (CLEAR-MOT and IDF1 with py-motmetrics semantics), plus the numbers operators count: crossings per
 * line and direction, and people per frame or zone. See {@link Evaluation}.
 */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Scores tracks against MOTChallenge ground truth: MOTA, MOTP, IDF1, counting and occupancy error.",
                "Matching follows py-motmetrics (a pair needs IoU >= 0.5). Exit code 2 on malformed input."})
public final class EvalCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--gt", required = true, paramLabel = "FILE",
            description = "Ground truth: frame,id,x,y,w,h,consider,class,visibility (1-based frames; consider=0 rows ignored).")
    Path gt;

    @Option(names = "--tracks", required = true, paramLabel = "FILE",
            description = "Tracker output: frame,id,x,y,w,h,score,-1,-1,-1 (as analyze --mot-out writes).")
    Path tracks;

    @Option(names = "--line", paramLabel = "NAME:x1,y1,x2,y2", description = {
            "Counting line (repeatable), as for analyze: a foot point going from the negative to the positive side of",
            "s = (x2-x1)(y-y1) - (y2-y1)(x-x1) is 'in'."})
    List<String> lines = new ArrayList<>();

    @Option(names = "--zone", paramLabel = "NAME:x1,y1,x2,y2,x3,y3,...", description = "Zone polygon for the occupancy error (repeatable).")
    List<String> zones = new ArrayList<>();

    @Option(names = "--gt-frames-only", arity = "0..1", paramLabel = "true|false", description = {
            "Evaluate only frames labelled in the ground truth, ignoring tracker rows on other frames.",
            "Default: on when the ground truth labels fewer frames than the tracks span (sparse labels)."})
    @Nullable Boolean gtFramesOnly;

    @Option(names = "--max-frame", paramLabel = "N", description = "Leave out frames after N in both files.")
    @Nullable Integer maxFrame;

    @Option(names = "--count-band", paramLabel = "HEIGHTS", description = {
            "Hysteresis of the tracks' line crossings, in person heights, as the people task counts (default: its band,",
            "${DEFAULT-VALUE}); 0 counts every change of side. Ground truth is always counted as labelled."})
    double countBand = Evaluation.Options.DEFAULT_COUNT_BAND;

    @Option(names = "--json", description = "Print the figures as JSON on standard output (the table goes to standard error).")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Evaluation.Options options;
        Sequence truth;
        Sequence output;
        try {
            List<ShapeSpecs.CountLine> ls = lines.stream().map(ShapeSpecs::line).toList();
            List<ShapeSpecs.CountZone> zs = zones.stream().map(ShapeSpecs::zone).toList();
            if (maxFrame != null && maxFrame < 1) {
                throw new IllegalArgumentException("--max-frame must be at least 1 (frames are 1-based)");
            }
            options = new Evaluation.Options(ls, zs, gtFramesOnly, maxFrame, countBand);
            truth = MotReader.groundTruth(gt);
            output = MotReader.tracks(tracks);
        } catch (EvalInputException | IllegalArgumentException e) {
            err.println("eval: " + e.getMessage());
            err.flush();
            return 2;
        }
        EvalReport report = Evaluation.run(truth, output, options);
        if (json) {
            err.print(report.table());
            err.flush();
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report.toJson()));
        } else {
            out.print(report.table());
        }
        out.flush();
        return 0;
    }
}
