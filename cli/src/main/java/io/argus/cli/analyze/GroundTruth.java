package io.argus.cli.analyze;

import io.argus.cli.eval.Evaluation;
import io.argus.cli.eval.LineCrossings;
import io.argus.cli.eval.MotReader;
import io.argus.cli.eval.Sequence;
import io.argus.task.geom.Polygon;
import io.argus.task.geom.Pt;
import org.jspecify.annotations.Nullable;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * MOTChallenge ground truth ({@code frame,id,x,y,w,h,consider,class,visibility}, frames 1-based),
 * and what it implies for counting: crossings of a line between consecutive labelled positions of
 * each person, and the number of people per labelled frame (in a zone, or anywhere). Reading and
 * the rules are those of the evaluation library ({@link MotReader}, {@link LineCrossings}), so that
 * {@code analyze --gt} and {@code argus eval} agree.
 */
public final class GroundTruth {
    public record Crossing(long id, int frame, boolean in) {
    }

    private final Sequence sequence;

    private GroundTruth(Sequence sequence) {
        this.sequence = sequence;
    }

    /** Reads the file; malformed rows fail with {@code file:line: what is wrong}. */
    public static GroundTruth read(Path file) throws IOException {
        return new GroundTruth(MotReader.groundTruth(file));
    }

    public static GroundTruth of(Sequence sequence) {
        return new GroundTruth(sequence);
    }

    /** The labelled boxes, for the evaluation library. */
    public Sequence sequence() {
        return sequence;
    }

    /** Labelled frames (1-based). */
    public NavigableSet<Integer> labelledFrames() {
        return new TreeSet<>(sequence.labelledFrames());
    }

    public int lastFrame() {
        return sequence.lastFrame();
    }

    /** Crossings of the directed line p1->p2 (same rule as the people task, without hysteresis). */
    public List<Crossing> crossings(Pt p1, Pt p2) {
        return LineCrossings.of(sequence, p1, p2).stream().map(c -> new Crossing(c.id(), c.frame(), c.in())).toList();
    }

    /** People in a labelled frame, optionally only those whose feet are in the polygon. */
    public int count(int frame, @Nullable Polygon zone) {
        return Evaluation.count(sequence.boxes(frame), zone);
    }
}
