package io.argus.app.console.model;

import io.argus.protocol.Names;
import io.argus.task.api.TaskException;
import io.argus.task.api.people.CountingLine;
import io.argus.task.api.people.Zone;
import io.argus.task.geom.Pt;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import org.jspecify.annotations.Nullable;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Drawing, moving, renaming, reversing and deleting one stream's counting lines and zones on its
 * picture (Detail), as a draft that is {@link #apply applied} as a whole through the central
 * configuration. Coordinates are source pixels; the view converts the mouse and passes a hit
 * tolerance in source pixels, so the model works at any tile size and is tested without a UI.
 *
 * <p>Until the operator edits, the draft is exactly the active geometry ({@link
 * ConsoleModel#activeGeometry}), so what Detail shows is what the agent counts with. Applying
 * writes every line and zone in one versioned change; the agent keeps the state of every line and
 * zone whose name and geometry did not change (their totals continue), so changing one never resets
 * the others.
 *
 * <p>Tools: {@link Tool#LINE} press-drag-release draws a line from the press to the release;
 * {@link Tool#ZONE} clicks add corners, and a click on the first corner (or a double click) closes
 * the polygon; {@link Tool#SELECT} picks the line or zone under the pointer, and a drag moves the
 * corner or end grabbed, or the whole shape when grabbed elsewhere. Used on the JavaFX thread.
 */
public final class GeometryEditor {
    /** What a press on the picture does. */
    public enum Tool { SELECT, LINE, ZONE }

    /** The kind of shape selected. */
    public enum Kind { LINE, ZONE }

    /** A selected line or zone, by name. */
    public record Selection(Kind kind, String name) {
    }

    /** A line shorter than this many source pixels is taken for a click, not drawn. */
    public static final double MIN_LINE_PX = 8;

    /** Reads a stream's active lines and zones ({@link ConsoleModel#activeGeometry}). */
    private final Function<String, Geometry> reader;
    /** Writes a stream's lines and zones ({@link ConsoleModel#setGeometry}). */
    private final BiFunction<String, Geometry, CompletableFuture<Boolean>> writer;
    private final ReadOnlyObjectWrapper<Geometry> active = new ReadOnlyObjectWrapper<>(Geometry.EMPTY);
    private final ReadOnlyObjectWrapper<Geometry> draft = new ReadOnlyObjectWrapper<>(Geometry.EMPTY);
    private final ReadOnlyObjectWrapper<@Nullable Selection> selected = new ReadOnlyObjectWrapper<>();
    private final ObjectProperty<Tool> tool = new SimpleObjectProperty<>(Tool.SELECT);
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper dirty = new ReadOnlyBooleanWrapper();
    /** The line being drawn (start, current end), or the zone's corners so far. */
    private final ReadOnlyObjectWrapper<List<Pt>> pending = new ReadOnlyObjectWrapper<>(List.of());
    private @Nullable String stream;
    private double width;
    private double height;
    /** While dragging in SELECT: the grabbed corner or end (-1: the whole shape) and the last point. */
    private int grabbed = -2;
    private @Nullable Pt last;

    public GeometryEditor(ConsoleModel model) {
        this(model::activeGeometry, model::setGeometry);
    }

    GeometryEditor(Function<String, Geometry> reader, BiFunction<String, Geometry, CompletableFuture<Boolean>> writer) {
        this.reader = reader;
        this.writer = writer;
        draft.addListener((o, a, b) -> dirty.set(!b.equals(active.get())));
        active.addListener((o, a, b) -> dirty.set(!draft.get().equals(b)));
        tool.addListener((o, a, b) -> cancel());
    }

    /** Shows {@code stream}'s active lines and zones (no stream: none); the draft is discarded. */
    public void load(@Nullable String stream) {
        this.stream = stream;
        Geometry g = stream == null ? Geometry.EMPTY : reader.apply(stream);
        active.set(g);
        draft.set(g);
        selected.set(null);
        cancel();
        message.set(stream == null ? "" : describe(g));
    }

    /** Reads the active geometry again; a draft with edits is kept (and stays marked unapplied). */
    public void refresh() {
        if (stream == null) {
            return;
        }
        Geometry g = reader.apply(stream);
        boolean edited = dirty.get();
        active.set(g);
        if (!edited) {
            draft.set(g);
        }
    }

    /** The picture's size in source pixels: points are kept inside it. */
    public void frameSize(double w, double h) {
        this.width = w;
        this.height = h;
    }

    // ---------------------------------------------------------------- pointer

    /** A press at {@code p}; {@code tolerance} is how far from a shape a press still hits it. */
    public void press(Pt p, double tolerance, boolean doubleClick) {
        Pt q = clamp(p);
        switch (tool.get()) {
            case LINE -> pending.set(List.of(q, q));
            case ZONE -> zoneClick(q, tolerance, doubleClick);
            case SELECT -> grab(q, tolerance);
        }
    }

    public void drag(Pt p) {
        Pt q = clamp(p);
        if (tool.get() == Tool.LINE && pending.get().size() == 2) {
            pending.set(List.of(pending.get().get(0), q));
        } else if (tool.get() == Tool.SELECT && grabbed > -2 && last != null && selected.get() != null) {
            move(selected.get(), q);
        }
    }

    public void release(Pt p) {
        Pt q = clamp(p);
        if (tool.get() == Tool.LINE && pending.get().size() == 2) {
            Pt a = pending.get().get(0);
            pending.set(List.of());
            if (a.dist(q) < MIN_LINE_PX) {
                message.set("drag further to draw a line (at least " + (int) MIN_LINE_PX + " pixels)");
                return;
            }
            String name = draft.get().freeName("line");
            draft.set(draft.get().withLine(new CountingLine(name, a, q)));
            selected.set(new Selection(Kind.LINE, name));
            message.set("drew " + name + ": rename it, reverse it, then Apply");
        }
        grabbed = -2;
        last = null;
    }

    /** Drops a line being drawn or a zone's unfinished corners. */
    public void cancel() {
        pending.set(List.of());
        grabbed = -2;
        last = null;
    }

    private void zoneClick(Pt q, double tolerance, boolean doubleClick) {
        List<Pt> corners = new ArrayList<>(pending.get());
        boolean closing = corners.size() >= 3 && (doubleClick || corners.get(0).dist(q) <= tolerance);
        if (!closing) {
            if (doubleClick && !corners.isEmpty() && corners.get(corners.size() - 1).dist(q) <= tolerance) {
                return; // the second click of a double click on a corner just added
            }
            corners.add(q);
            pending.set(List.copyOf(corners));
            message.set(corners.size() < 3 ? "zone: click the next corner"
                    : "zone: click the first corner (or double-click) to close it");
            return;
        }
        String name = draft.get().freeName("zone");
        Zone z;
        try {
            z = Geometry.zone(name, corners);
            Geometry.EMPTY.withZone(z).check();
        } catch (TaskException | IllegalArgumentException e) {
            message.set("not a zone: " + e.getMessage());
            return;
        }
        pending.set(List.of());
        draft.set(draft.get().withZone(z));
        selected.set(new Selection(Kind.ZONE, name));
        message.set("drew " + name + ": rename it, then Apply");
    }

    private void grab(Pt q, double tolerance) {
        Geometry g = draft.get();
        // ends and corners first: they sit on the shapes' bodies
        for (CountingLine l : g.lines()) {
            if (l.p1().dist(q) <= tolerance || l.p2().dist(q) <= tolerance) {
                pick(new Selection(Kind.LINE, l.name()), l.p1().dist(q) <= l.p2().dist(q) ? 0 : 1, q);
                return;
            }
        }
        for (Zone z : g.zones()) {
            List<Pt> pts = z.polygon().points();
            for (int i = 0; i < pts.size(); i++) {
                if (pts.get(i).dist(q) <= tolerance) {
                    pick(new Selection(Kind.ZONE, z.name()), i, q);
                    return;
                }
            }
        }
        // the nearest line body; where two cross, the one already selected
        CountingLine nearest = null;
        double best = tolerance;
        Selection current = selected.get();
        for (CountingLine l : g.lines()) {
            double d = distanceToSegment(q, l.p1(), l.p2());
            boolean isCurrent = current != null && current.kind() == Kind.LINE && current.name().equals(l.name());
            if (d < best || (d <= tolerance && isCurrent)) {
                nearest = l;
                best = isCurrent ? -1 : d;
            }
        }
        if (nearest != null) {
            pick(new Selection(Kind.LINE, nearest.name()), -1, q);
            return;
        }
        for (Zone z : g.zones()) {
            if (z.polygon().contains(q)) {
                pick(new Selection(Kind.ZONE, z.name()), -1, q);
                return;
            }
        }
        selected.set(null);
        grabbed = -2;
        last = null;
    }

    private void pick(Selection s, int handle, Pt q) {
        selected.set(s);
        grabbed = handle;
        last = q;
    }

    private void move(Selection s, Pt q) {
        Pt from = last;
        if (from == null) {
            return;
        }
        double dx = q.x() - from.x();
        double dy = q.y() - from.y();
        int h = grabbed;
        if (s.kind() == Kind.LINE) {
            draft.set(draft.get().mapLine(s.name(), l -> h == 0 ? new CountingLine(l.name(), q, l.p2())
                    : h == 1 ? new CountingLine(l.name(), l.p1(), q)
                    : shiftInside(l, dx, dy)));
        } else {
            draft.set(draft.get().mapZone(s.name(), z -> {
                List<Pt> pts = new ArrayList<>(z.polygon().points());
                if (h >= 0) {
                    pts.set(h, q);
                } else {
                    double[] d = inside(pts, dx, dy);
                    pts.replaceAll(p -> new Pt(p.x() + d[0], p.y() + d[1]));
                }
                return Geometry.zone(z.name(), pts);
            }));
        }
        last = q;
    }

    private CountingLine shiftInside(CountingLine l, double dx, double dy) {
        double[] d = inside(List.of(l.p1(), l.p2()), dx, dy);
        return new CountingLine(l.name(), new Pt(l.p1().x() + d[0], l.p1().y() + d[1]),
                new Pt(l.p2().x() + d[0], l.p2().y() + d[1]));
    }

    /** The shift (dx, dy), shortened so that no point leaves the picture: a moved shape keeps its form. */
    private double[] inside(List<Pt> pts, double dx, double dy) {
        if (width <= 0 || height <= 0) {
            return new double[]{dx, dy};
        }
        double minX = pts.stream().mapToDouble(Pt::x).min().orElse(0);
        double maxX = pts.stream().mapToDouble(Pt::x).max().orElse(0);
        double minY = pts.stream().mapToDouble(Pt::y).min().orElse(0);
        double maxY = pts.stream().mapToDouble(Pt::y).max().orElse(0);
        return new double[]{Math.max(-minX, Math.min(width - maxX, dx)), Math.max(-minY, Math.min(height - maxY, dy))};
    }

    private Pt clamp(Pt p) {
        if (width <= 0 || height <= 0) {
            return p;
        }
        return new Pt(Math.max(0, Math.min(width, p.x())), Math.max(0, Math.min(height, p.y())));
    }

    static double distanceToSegment(Pt p, Pt a, Pt b) {
        double vx = b.x() - a.x();
        double vy = b.y() - a.y();
        double len2 = vx * vx + vy * vy;
        double t = len2 == 0 ? 0 : Math.max(0, Math.min(1, ((p.x() - a.x()) * vx + (p.y() - a.y()) * vy) / len2));
        return Math.hypot(p.x() - (a.x() + t * vx), p.y() - (a.y() + t * vy));
    }

    // ---------------------------------------------------------------- commands on the selection

    /** Renames the selected line or zone; refused (with why) when the name is taken or not valid. */
    public boolean rename(String name) {
        Selection s = selected.get();
        String n = name.trim();
        if (s == null || n.equals(s.name())) {
            return false;
        }
        if (!Names.isValid(n)) {
            message.set("'" + n + "' is not a name: 1-128 of A-Z a-z 0-9 . _ -");
            return false;
        }
        if (s.kind() == Kind.LINE ? draft.get().hasLine(n) : draft.get().hasZone(n)) {
            message.set("there is already a " + (s.kind() == Kind.LINE ? "line" : "zone") + " called " + n);
            return false;
        }
        draft.set(s.kind() == Kind.LINE ? draft.get().mapLine(s.name(), l -> new CountingLine(n, l.p1(), l.p2()))
                : draft.get().mapZone(s.name(), z -> new Zone(n, z.polygon())));
        selected.set(new Selection(s.kind(), n));
        message.set("renamed " + s.name() + " to " + n + " (a renamed line or zone counts from 0)");
        return true;
    }

    /** Swaps the selected line's ends: "in" and "out" trade places. */
    public void reverse() {
        Selection s = selected.get();
        if (s != null && s.kind() == Kind.LINE) {
            draft.set(draft.get().mapLine(s.name(), Geometry::reversed));
            message.set("reversed " + s.name() + ": in and out trade places");
        }
    }

    public void delete() {
        Selection s = selected.get();
        if (s == null) {
            return;
        }
        draft.set(s.kind() == Kind.LINE ? draft.get().withoutLine(s.name()) : draft.get().withoutZone(s.name()));
        selected.set(null);
        message.set("deleted " + s.name() + " (Apply to make it so)");
    }

    /** Discards the draft: back to the active geometry. */
    public void revert() {
        draft.set(active.get());
        selected.set(null);
        cancel();
        message.set(describe(active.get()));
    }

    /**
     * Writes the draft as the stream's lines and zones, checked first with the task's own rules;
     * the future fails with the coordinator's or the task's words when refused. Completes on the
     * thread that finished the write; the editor updates itself through {@code onFxThread}.
     */
    public CompletableFuture<Boolean> apply(Consumer<Runnable> onFxThread) {
        String s = stream;
        Geometry g = draft.get();
        if (s == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("no stream shown"));
        }
        try {
            g.check();
        } catch (TaskException e) {
            message.set("not applied: " + e.getMessage());
            return CompletableFuture.failedFuture(e);
        }
        message.set("applying...");
        return writer.apply(s, g).whenComplete((v, err) -> onFxThread.accept(() -> {
            if (err != null) {
                Throwable cause = err.getCause() != null ? err.getCause() : err;
                message.set("refused: " + cause.getMessage());
            } else if (s.equals(stream)) {
                active.set(g);
                message.set("applied: " + describe(g) + (Boolean.TRUE.equals(v) ? ""
                        : " (no coordinator: the stream restarted, its counts begin again)"));
            }
        }));
    }

    private static String describe(Geometry g) {
        return g.lines().size() + " line(s), " + g.zones().size() + " zone(s) active";
    }

    // ---------------------------------------------------------------- read-only state for the view

    public ReadOnlyObjectProperty<Geometry> draftProperty() {
        return draft.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Geometry> activeProperty() {
        return active.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<@Nullable Selection> selectedProperty() {
        return selected.getReadOnlyProperty();
    }

    public ObjectProperty<Tool> toolProperty() {
        return tool;
    }

    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    /** True while the draft differs from what is active (edits not applied). */
    public ReadOnlyBooleanProperty dirtyProperty() {
        return dirty.getReadOnlyProperty();
    }

    /** The line being drawn (start, end) or the corners of the zone being drawn. */
    public ReadOnlyObjectProperty<List<Pt>> pendingProperty() {
        return pending.getReadOnlyProperty();
    }

    public @Nullable String stream() {
        return stream;
    }
}
