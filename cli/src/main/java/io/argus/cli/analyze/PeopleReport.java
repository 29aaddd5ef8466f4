package io.argus.cli.analyze;

import org.jspecify.annotations.Nullable;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.argus.cli.eval.MotReader;
import io.argus.client.StreamResult;
import io.argus.protocol.v1.Event;
import io.argus.protocol.v1.TaskResult;
import io.argus.task.geom.Polygon;
import io.argus.task.geom.Pt;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Follows the {@code people} results of an analyze run: per-line totals and per-zone occupancy,
 * dwell, entries and exits for the summary, tracks in MOTChallenge format ({@code --mot-out}), and
 * the comparison with ground truth ({@code --gt}): the agent's own counts and occupancy, and the
 * tracks scored by the evaluation library exactly as {@code argus eval} scores the
 * {@code --mot-out} file. The tallies are {@link StreamTally}'s, the track files {@link MotTracks}'s
 * and the comparison {@link GroundTruthComparison}'s.
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
    private final MotTracks mot;
    private final Map<String, StreamTally> streams = new LinkedHashMap<>();
    private final boolean manyStreams;

    public PeopleReport(List<NamedLine> lines, List<NamedZone> zones, @Nullable Path motOut, @Nullable GroundTruth gt,
                        boolean manyStreams, PrintStream report) {
        this.lines = lines;
        this.zones = zones;
        this.motOut = motOut;
        this.gt = gt;
        this.manyStreams = manyStreams;
        this.report = report;
        this.mot = new MotTracks(motOut, manyStreams);
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
        StreamTally d = streams.computeIfAbsent(r.streamId(), k -> new StreamTally());
        for (NamedLine l : lines) {
            d.totals.put(l.name(), new long[]{
                    Math.round(people.getNumbersOrDefault("line." + l.name() + ".in", 0)),
                    Math.round(people.getNumbersOrDefault("line." + l.name() + ".out", 0))});
        }
        for (Event e : people.getEventsList()) {
            StreamTally.countEvent(d, e);
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
            StreamTally.ZoneTally zd = d.zones.computeIfAbsent(z.name(), k -> new StreamTally.ZoneTally());
            zd.seenNumbers = true;
            zd.occupancyFinal = occ;
            zd.occupancyMax = Math.max(zd.occupancyMax, occ);
            zd.dwellMax = Math.max(zd.dwellMax, people.getNumbersOrDefault("zone." + z.name() + ".dwell_max_s", 0));
        }
        d.perFrame.put(frame, counts);
        List<String> rows = MotTracks.motRows(frame, people);
        if (motOut != null) {
            mot.writeMot(r.streamId(), rows);
        }
        if (gt != null && streams.keySet().iterator().next().equals(r.streamId())) {
            for (String row : rows) {
                if (d.motRowCount++ < MotReader.MAX_ROWS) { // past the limit the evaluation refuses anyway
                    d.motRows.append(row).append('\n');
                }
            }
        }
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
            // one stream is compared: ground truth describes one sequence
            StreamTally d = streams.values().stream().findFirst().orElse(new StreamTally());
            summary.set("ground_truth", new GroundTruthComparison(lines, zones, gt, report).compare(d,
                    motOut != null ? () -> mot.motFile(streams.keySet().iterator().next()) : null));
        }
    }

    @Override
    public void close() throws IOException {
        mot.close();
    }
}
