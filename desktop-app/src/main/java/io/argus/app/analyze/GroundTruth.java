package io.argus.app.analyze;

import io.argus.agent.geom.Polygon;
import io.argus.agent.geom.Pt;
import io.argus.agent.geom.Segments;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * MOTChallenge ground truth ({@code frame,id,x,y,w,h,consider,class,visibility}, frames 1-based),
 * and what it implies for counting: crossings of a line between consecutive labelled positions of
 * each person, and the number of people per labelled frame (in a zone, or anywhere).
 */
public final class GroundTruth {
    public record Box(int frame, long id, double x, double y, double w, double h) {
        Pt foot() {
            return new Pt(x + w / 2, y + h);
        }
    }

    public record Crossing(long id, int frame, boolean in) {
    }

    private final Map<Long, List<Box>> tracks = new TreeMap<>();
    private final Map<Integer, List<Box>> frames = new TreeMap<>();

    public static GroundTruth read(Path file) throws IOException {
        GroundTruth gt = new GroundTruth();
        int lineNo = 0;
        for (String line : Files.readAllLines(file)) {
            lineNo++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split(",");
            if (f.length < 6) {
                throw new IOException(file + ":" + lineNo + ": expected frame,id,x,y,w,h,...");
            }
            try {
                if (f.length >= 7 && Double.parseDouble(f[6].trim()) == 0) {
                    continue; // "consider" flag off: ignored region or distractor
                }
                Box b = new Box(Integer.parseInt(f[0].trim()), Long.parseLong(f[1].trim()),
                        Double.parseDouble(f[2].trim()), Double.parseDouble(f[3].trim()),
                        Double.parseDouble(f[4].trim()), Double.parseDouble(f[5].trim()));
                gt.tracks.computeIfAbsent(b.id(), k -> new ArrayList<>()).add(b);
                gt.frames.computeIfAbsent(b.frame(), k -> new ArrayList<>()).add(b);
            } catch (NumberFormatException e) {
                throw new IOException(file + ":" + lineNo + ": " + e.getMessage());
            }
        }
        gt.tracks.values().forEach(l -> l.sort((a, b) -> Integer.compare(a.frame(), b.frame())));
        return gt;
    }

    /** Labelled frames (1-based). */
    public TreeSet<Integer> labelledFrames() {
        return new TreeSet<>(frames.keySet());
    }

    public int lastFrame() {
        return frames.isEmpty() ? 0 : ((TreeMap<Integer, List<Box>>) frames).lastKey();
    }

    /** Crossings of the directed line p1->p2 (same rule as the people task, without hysteresis). */
    public List<Crossing> crossings(Pt p1, Pt p2) {
        List<Crossing> out = new ArrayList<>();
        for (List<Box> t : tracks.values()) {
            for (int i = 1; i < t.size(); i++) {
                Pt a = t.get(i - 1).foot();
                Pt b = t.get(i).foot();
                double sa = Segments.side(p1, p2, a);
                double sb = Segments.side(p1, p2, b);
                if (sa == 0 || sb == 0 || (sa > 0) == (sb > 0)) {
                    continue;
                }
                double u = Segments.crossingParameter(p1, p2, a, b);
                if (u >= 0 && u <= 1) {
                    out.add(new Crossing(t.get(i).id(), t.get(i).frame(), sb > 0));
                }
            }
        }
        return out;
    }

    /** People in a labelled frame, optionally only those whose feet are in the polygon. */
    public int count(int frame, Polygon zone) {
        int n = 0;
        for (Box b : frames.getOrDefault(frame, List.of())) {
            if (zone == null || zone.contains(b.foot())) {
                n++;
            }
        }
        return n;
    }
}
