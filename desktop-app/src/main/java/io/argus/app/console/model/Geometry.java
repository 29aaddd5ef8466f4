package io.argus.app.console.model;

import io.argus.task.api.TaskException;
import io.argus.task.api.people.CountingLine;
import io.argus.task.api.people.PeopleConfig;
import io.argus.task.api.people.Zone;
import io.argus.task.geom.Polygon;
import io.argus.task.geom.Pt;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The counting lines and zones of one stream, in source pixels, as the {@code people} task reads
 * them from its {@code lines} and {@code zones} parameters. Immutable: every edit returns a new
 * geometry, so the editor can compare the draft with what is active.
 *
 * <p>Parsing and {@link #check() checking} are the task's own ({@link PeopleConfig#parse}), so the
 * console refuses exactly what the agent would refuse, with the same words, before anything is
 * written to the central configuration.
 */
public record Geometry(List<CountingLine> lines, List<Zone> zones) {
    public static final Geometry EMPTY = new Geometry(List.of(), List.of());

    public Geometry {
        lines = List.copyOf(lines);
        zones = List.copyOf(zones);
    }

    /** Lines and zones as the task's parameters give them ({@code NAME:x1,y1,x2,y2;...}). */
    public static Geometry parse(String lines, String zones) throws TaskException {
        PeopleConfig c = PeopleConfig.parse(Map.of("lines", lines, "zones", zones));
        return new Geometry(c.lines(), c.zones());
    }

    /** Throws the task's own error when the agent would refuse these lines or zones. */
    public void check() throws TaskException {
        parse(linesSpec(), zonesSpec());
    }

    public String linesSpec() {
        List<String> out = new ArrayList<>();
        for (CountingLine l : lines) {
            out.add(l.name() + ":" + num(l.p1().x()) + "," + num(l.p1().y()) + "," + num(l.p2().x()) + "," + num(l.p2().y()));
        }
        return String.join(";", out);
    }

    public String zonesSpec() {
        List<String> out = new ArrayList<>();
        for (Zone z : zones) {
            List<String> xy = new ArrayList<>();
            for (Pt p : z.polygon().points()) {
                xy.add(num(p.x()) + "," + num(p.y()));
            }
            out.add(z.name() + ":" + String.join(",", xy));
        }
        return String.join(";", out);
    }

    /** Source pixels, whole where they are whole: what an operator would type. */
    private static String num(double v) {
        double r = Math.round(v * 10) / 10.0;
        return r == Math.rint(r) ? Long.toString((long) r) : String.format(Locale.ROOT, "%.1f", r);
    }

    public boolean hasLine(String name) {
        return lines.stream().anyMatch(l -> l.name().equals(name));
    }

    public boolean hasZone(String name) {
        return zones.stream().anyMatch(z -> z.name().equals(name));
    }

    /** The first of {@code prefix}1, {@code prefix}2, ... that no line or zone is called. */
    public String freeName(String prefix) {
        for (int i = 1; ; i++) {
            String n = prefix + i;
            if (!hasLine(n) && !hasZone(n)) {
                return n;
            }
        }
    }

    public Geometry withLine(CountingLine line) {
        List<CountingLine> out = new ArrayList<>(lines);
        out.add(line);
        return new Geometry(out, zones);
    }

    public Geometry withZone(Zone zone) {
        List<Zone> out = new ArrayList<>(zones);
        out.add(zone);
        return new Geometry(lines, out);
    }

    /** The line called {@code name} replaced by {@code f} of it, in its place (order is kept). */
    public Geometry mapLine(String name, UnaryOperator<CountingLine> f) {
        return new Geometry(lines.stream().map(l -> l.name().equals(name) ? f.apply(l) : l).toList(), zones);
    }

    public Geometry mapZone(String name, UnaryOperator<Zone> f) {
        return new Geometry(lines, zones.stream().map(z -> z.name().equals(name) ? f.apply(z) : z).toList());
    }

    public Geometry withoutLine(String name) {
        return new Geometry(lines.stream().filter(l -> !l.name().equals(name)).toList(), zones);
    }

    public Geometry withoutZone(String name) {
        return new Geometry(lines, zones.stream().filter(z -> !z.name().equals(name)).toList());
    }

    /** The line with its ends swapped: "in" and "out" trade places. */
    public static CountingLine reversed(CountingLine l) {
        return new CountingLine(l.name(), l.p2(), l.p1());
    }

    public static Zone zone(String name, List<Pt> points) {
        return new Zone(name, new Polygon(points));
    }
}
