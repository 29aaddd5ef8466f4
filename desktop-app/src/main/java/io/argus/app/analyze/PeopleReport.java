package io.argus.app.analyze;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.argus.app.eval.EvalInputException;
import io.argus.app.eval.EvalReport;
import io.argus.app.eval.Evaluation;
import io.argus.app.eval.MotReader;
import io.argus.app.eval.Sequence;
import io.argus.app.eval.ShapeSpecs;
import io.argus.client.StreamResult;
import io.argus.protocol.v1.Event;
import io.argus.protocol.v1.Overlay;
import io.argus.protocol.v1.TaskResult;
import io.argus.task.geom.Polygon;
import io.argus.task.geom.Pt;
import org.jspecify.annotations.Nullable;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Follows the {@code people} results of an analyze run: per-line totals and per-zone occupancy,
 * dwell, entries and exits for the summary, tracks in MOTChallenge format ({@code --mot-out}), and
 * the comparison with ground truth ({@code --gt}): the agent's own counts and occupancy, and the
 * tracks scored by the evaluation library exactly as {@code argus eval} scores the
 * {@code --mot-out} file.
 */
public final class PeopleReport implements AnalyzeExtension {
    public record NamedLine(String name, Pt p1, Pt p2) {
    }

    public record NamedZone(String name, @Nullable Polygon polygon) {
    }

    private final List<NamedLine> lines;
    private final List<NamedZone> zones;
    private final @Nullable Path motOut;
    private final @Nullable GroundTruth gt;
    private final PrintStream report;
    private final Map<String, BufferedWriter> mot = new HashMap<>();
    private final Map<String, StreamData> streams = new LinkedHashMap<>();
    private final boolean manyStreams;

    /** Per zone: what the agent reported frame by frame, and the entries and exits it raised. */
    private static final class ZoneData {
        double occupancyFinal;
        double occupancyMax;
        double dwellMax;
        boolean seenNumbers;
        long entries;
        long exits;
        double exitDwellMax = Double.NaN;
    }

    private static final class StreamData {
        final Map<String, long[]> totals = new LinkedHashMap<>();
        final List<Event> crossings = new ArrayList<>();
        final Set<String> eventIds = new HashSet<>();
        final Map<String, long[]> fromEvents = new HashMap<>();
        final Map<Long, Map<String, Double>> perFrame = new HashMap<>(); // frame(1-based) -> counts
        final Map<String, ZoneData> zones = new LinkedHashMap<>();
        double occupancyFinal;
        double occupancyMax;
        boolean occupancyReported; // people.occupancy seen (else people.visible stands in)
        long lastFrame;
        // the MOT rows as written, kept for the ground-truth comparison (first stream only)
        final StringBuilder motRows = new StringBuilder();
        int motRowCount;
    }

    public PeopleReport(List<NamedLine> lines, List<NamedZone> zones, @Nullable Path motOut, @Nullable GroundTruth gt,
                        boolean manyStreams, PrintStream report) {
        this.lines = lines;
        this.zones = zones;
        this.motOut = motOut;
        this.gt = gt;
        this.manyStreams = manyStreams;
        this.report = report;
    }

    @Override
    public void onResult(StreamResult r) {
        if (!r.ok()) {
            return;
        }
        TaskResult people = r.okResult().getTasksList().stream().filter(t -> t.getTask().equals("people"))
                .findFirst().orElse(null);
        if (people == null || !people.getStatus().name().equals("OK")) {
            return;
        }
        StreamData d = streams.computeIfAbsent(r.streamId(), k -> new StreamData());
        for (NamedLine l : lines) {
            d.totals.put(l.name(), new long[]{
                    Math.round(people.getNumbersOrDefault("line." + l.name() + ".in", 0)),
                    Math.round(people.getNumbersOrDefault("line." + l.name() + ".out", 0))});
        }
        for (Event e : people.getEventsList()) {
            countEvent(d, e);
        }
        long frame = r.sourceIndex() + 1;
        d.lastFrame = Math.max(d.lastFrame, frame);
        Map<String, Double> counts = new HashMap<>();
        // people.occupancy is the tracker's own count of people present; older agents only report
        // the tracks visible in the frame
        boolean hasOccupancy = people.containsNumbers("people.occupancy");
        double occupancy = hasOccupancy ? people.getNumbersOrThrow("people.occupancy")
                : people.getNumbersOrDefault("people.visible", 0);
        d.occupancyReported |= hasOccupancy;
        d.occupancyFinal = occupancy;
        d.occupancyMax = Math.max(d.occupancyMax, occupancy);
        counts.put("", occupancy);
        for (NamedZone z : zones) {
            double occ = people.getNumbersOrDefault("zone." + z.name() + ".occupancy", 0);
            counts.put(z.name(), occ);
            ZoneData zd = d.zones.computeIfAbsent(z.name(), k -> new ZoneData());
            zd.seenNumbers = true;
            zd.occupancyFinal = occ;
            zd.occupancyMax = Math.max(zd.occupancyMax, occ);
            zd.dwellMax = Math.max(zd.dwellMax, people.getNumbersOrDefault("zone." + z.name() + ".dwell_max_s", 0));
        }
        d.perFrame.put(frame, counts);
        List<String> rows = motRows(frame, people);
        if (motOut != null) {
            writeMot(r.streamId(), rows);
        }
        if (gt != null && streams.keySet().iterator().next().equals(r.streamId())) {
            for (String row : rows) {
                if (d.motRowCount++ < MotReader.MAX_ROWS) { // past the limit the evaluation refuses anyway
                    d.motRows.append(row).append('\n');
                }
            }
        }
    }

    /** Crossings and zone entries and exits, each event id once (a replayed frame repeats its events). */
    private static void countEvent(StreamData d, Event e) {
        String type = e.getType();
        boolean counted = type.equals("crossing") || type.equals("zone_enter") || type.equals("zone_exit");
        if (!counted || !d.eventIds.add(e.getId())) {
            return;
        }
        if (type.equals("crossing")) {
            d.crossings.add(e);
            long[] t = d.fromEvents.computeIfAbsent(e.getAttributesOrDefault("line", ""), k -> new long[2]);
            t["in".equals(e.getAttributesOrDefault("direction", "")) ? 0 : 1]++;
            return;
        }
        ZoneData zd = d.zones.computeIfAbsent(e.getAttributesOrDefault("zone", ""), k -> new ZoneData());
        if (type.equals("zone_enter")) {
            zd.entries++;
        } else {
            zd.exits++;
            try {
                double dwell = Double.parseDouble(e.getAttributesOrDefault("dwell_s", ""));
                zd.exitDwellMax = Double.isNaN(zd.exitDwellMax) ? dwell : Math.max(zd.exitDwellMax, dwell);
            } catch (NumberFormatException ignored) {
                // an exit without a dwell time still counts as an exit
            }
        }
    }

    private static List<String> motRows(long frame, TaskResult people) {
        List<String> rows = new ArrayList<>();
        for (Overlay o : people.getOverlaysList()) {
            if (o.hasBox() && o.getBox().getTrackId() > 0) {
                var b = o.getBox();
                rows.add(String.format(Locale.ROOT, "%d,%d,%.1f,%.1f,%.1f,%.1f,%.3f,-1,-1,-1",
                        frame, b.getTrackId(), b.getX(), b.getY(), b.getWidth(), b.getHeight(), b.getScore()));
            }
        }
        return rows;
    }

    private void writeMot(String stream, List<String> rows) {
        try {
            BufferedWriter w = mot.computeIfAbsent(stream, s -> {
                try {
                    return Files.newBufferedWriter(motFile(s));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            for (String row : rows) {
                w.write(row);
                w.newLine();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path motFile(String stream) {
        Path motOut = Objects.requireNonNull(this.motOut, "motOut"); // asked only with --mot-out
        if (!manyStreams) {
            return motOut;
        }
        String name = motOut.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String withStream = dot > 0 ? name.substring(0, dot) + "." + stream + name.substring(dot) : name + "." + stream;
        return motOut.resolveSibling(withStream);
    }

    @Override
    public void summarize(ObjectNode summary) {
        ObjectNode streamsNode = summary.withObjectProperty("streams");
        streams.forEach((name, d) -> {
            ObjectNode streamNode = streamsNode.withObjectProperty(name);
            ObjectNode s = streamNode.putObject("lines");
            // totals are the crossing events, each id once: what the coordinator stores and sums too.
            // The agent's running counter must say the same; if it does not, say so
            d.totals.forEach((line, counter) -> {
                long[] v = d.fromEvents.getOrDefault(line, new long[2]);
                ObjectNode ln = s.putObject(line).put("in", v[0]).put("out", v[1]);
                if (v[0] != counter[0] || v[1] != counter[1]) {
                    ln.put("counter_in", counter[0]).put("counter_out", counter[1]);
                }
            });
            streamNode.putObject("people").put("occupancy_final", d.occupancyFinal).put("occupancy_max", d.occupancyMax)
                    .put("occupancy_source", d.occupancyReported ? "people.occupancy" : "people.visible");
            if (!d.zones.isEmpty()) {
                ObjectNode zs = streamNode.putObject("zones");
                d.zones.forEach((zone, zd) -> {
                    ObjectNode z = zs.putObject(zone);
                    if (zd.seenNumbers) {
                        z.put("occupancy_final", zd.occupancyFinal).put("occupancy_max", zd.occupancyMax)
                                .put("dwell_max_s", zd.dwellMax);
                    }
                    z.put("entries", zd.entries).put("exits", zd.exits);
                    if (!Double.isNaN(zd.exitDwellMax)) {
                        z.put("exit_dwell_max_s", zd.exitDwellMax);
                    }
                    report.printf(Locale.ROOT, "%szone %s: %sentries %d, exits %d%n", manyStreams ? name + ", " : "", zone,
                            zd.seenNumbers ? String.format(Locale.ROOT, "occupancy at the end %.0f, max %.0f, longest dwell %.1f s, ",
                                    zd.occupancyFinal, zd.occupancyMax, zd.dwellMax) : "", zd.entries, zd.exits);
                });
            }
        });
        if (gt != null) {
            summary.set("ground_truth", compare());
        }
    }

    private ObjectNode compare() {
        GroundTruth gt = Objects.requireNonNull(this.gt, "gt"); // compared only with ground truth
        ObjectNode out = summary();
        int last = gt.lastFrame();
        // one stream is compared: ground truth describes one sequence
        StreamData d = streams.values().stream().findFirst().orElse(new StreamData());
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
        ObjectNode tracks = scoreTracks(d);
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
    private @Nullable ObjectNode scoreTracks(StreamData d) {
        GroundTruth gt = Objects.requireNonNull(this.gt, "gt"); // scored only with ground truth
        Sequence tracks;
        try {
            tracks = MotReader.read(new StringReader(d.motRows.toString()),
                    motOut != null ? motFile(streams.keySet().iterator().next()) : Path.of("<analyze tracks>"), MotReader.Kind.TRACKS);
        } catch (EvalInputException e) {
            report.println("ground truth: the tracks cannot be evaluated: " + e.getMessage());
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Integer maxFrame = d.lastFrame > 0 && d.lastFrame < gt.lastFrame() ? (int) d.lastFrame : null;
        List<ShapeSpecs.CountLine> ls = lines.stream().map(l -> new ShapeSpecs.CountLine(l.name(), l.p1(), l.p2())).toList();
        List<ShapeSpecs.CountZone> zs = zones.stream().map(z -> new ShapeSpecs.CountZone(z.name(), z.polygon())).toList();
        EvalReport r = Evaluation.run(gt.sequence(), tracks, new Evaluation.Options(ls, zs, null, maxFrame));
        report.println("ground truth vs the tracks (the figures argus eval gives for the " + (motOut != null ? "--mot-out file" : "tracks in MOT format")
                + (maxFrame != null ? " with --max-frame " + maxFrame : "") + "):");
        report.print(r.table());
        return r.toJson();
    }

    private static ObjectNode summary() {
        return JsonNodeFactory.instance.objectNode();
    }

    @Override
    public void close() throws IOException {
        for (BufferedWriter w : mot.values()) {
            w.close();
        }
    }
}
