package io.argus.app.analyze;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.argus.agent.geom.Polygon;
import io.argus.agent.geom.Pt;
import io.argus.client.StreamResult;
import io.argus.protocol.v1.Event;
import io.argus.protocol.v1.Overlay;
import io.argus.protocol.v1.TaskResult;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Follows the {@code people} results of an analyze run: per-line totals for the summary, tracks in
 * MOTChallenge format ({@code --mot-out}), and the comparison with ground truth ({@code --gt}).
 */
public final class PeopleReport implements AnalyzeExtension {
    public record NamedLine(String name, Pt p1, Pt p2) {
    }

    public record NamedZone(String name, Polygon polygon) {
    }

    private final List<NamedLine> lines;
    private final List<NamedZone> zones;
    private final Path motOut;
    private final GroundTruth gt;
    private final PrintStream report;
    private final Map<String, BufferedWriter> mot = new HashMap<>();
    private final Map<String, StreamData> streams = new LinkedHashMap<>();
    private final boolean manyStreams;

    private static final class StreamData {
        final Map<String, long[]> totals = new LinkedHashMap<>();
        final List<Event> crossings = new ArrayList<>();
        final java.util.Set<String> eventIds = new java.util.HashSet<>();
        final Map<String, long[]> fromEvents = new HashMap<>();
        final Map<Long, Map<String, Double>> perFrame = new HashMap<>(); // frame(1-based) -> counts
    }

    public PeopleReport(List<NamedLine> lines, List<NamedZone> zones, Path motOut, GroundTruth gt,
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
        TaskResult people = r.result().getTasksList().stream().filter(t -> t.getTask().equals("people"))
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
            if (e.getType().equals("crossing") && d.eventIds.add(e.getId())) {
                d.crossings.add(e);
                long[] t = d.fromEvents.computeIfAbsent(e.getAttributesOrDefault("line", ""), k -> new long[2]);
                t["in".equals(e.getAttributesOrDefault("direction", "")) ? 0 : 1]++;
            }
        }
        long frame = r.sourceIndex() + 1;
        Map<String, Double> counts = new HashMap<>();
        counts.put("", people.getNumbersOrDefault("people.visible", 0));
        for (NamedZone z : zones) {
            counts.put(z.name(), people.getNumbersOrDefault("zone." + z.name() + ".occupancy", 0));
        }
        d.perFrame.put(frame, counts);
        if (motOut != null) {
            writeMot(r.streamId(), frame, people);
        }
    }

    private void writeMot(String stream, long frame, TaskResult people) {
        try {
            BufferedWriter w = mot.computeIfAbsent(stream, s -> {
                try {
                    return Files.newBufferedWriter(motFile(s));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            for (Overlay o : people.getOverlaysList()) {
                if (o.hasBox() && o.getBox().getTrackId() > 0) {
                    var b = o.getBox();
                    w.write(String.format(java.util.Locale.ROOT, "%d,%d,%.1f,%.1f,%.1f,%.1f,%.3f,-1,-1,-1%n",
                            frame, b.getTrackId(), b.getX(), b.getY(), b.getWidth(), b.getHeight(), b.getScore()));
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    Path motFile(String stream) {
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
        ObjectNode streamsNode = summary.with("streams");
        streams.forEach((name, d) -> {
            ObjectNode s = streamsNode.with(name).putObject("lines");
            // totals are the crossing events, each id once: what the coordinator stores and sums too.
            // The agent's running counter must say the same; if it does not, say so
            d.totals.forEach((line, counter) -> {
                long[] v = d.fromEvents.getOrDefault(line, new long[2]);
                ObjectNode ln = s.putObject(line).put("in", v[0]).put("out", v[1]);
                if (v[0] != counter[0] || v[1] != counter[1]) {
                    ln.put("counter_in", counter[0]).put("counter_out", counter[1]);
                }
            });
        });
        if (gt != null) {
            summary.set("ground_truth", compare());
        }
    }

    private ObjectNode compare() {
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
            report.printf("ground truth, line %s over frames 1-%d: in %d (truth %d), out %d (truth %d), error %d%n",
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
            report.printf("ground truth, people in %s over %d labelled frames: mean absolute error %.2f, max %d%n",
                    z.name().isEmpty() ? "the whole frame" : "zone " + z.name(), n, mae, maxAbs);
        }
        return out;
    }

    private static ObjectNode summary() {
        return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    }

    @Override
    public void close() throws IOException {
        for (BufferedWriter w : mot.values()) {
            w.close();
        }
    }
}
