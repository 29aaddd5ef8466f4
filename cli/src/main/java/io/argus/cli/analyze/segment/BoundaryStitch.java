package io.argus.cli.analyze.segment;

import io.argus.client.StreamResult;
import io.argus.media.segment.Segment;
import io.argus.protocol.v1.Event;
import io.argus.protocol.v1.FrameResult;
import io.argus.protocol.v1.Overlay;
import io.argus.protocol.v1.TaskResult;
import io.argus.task.geom.BoxF;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Turns the owned results of the segments of one file, taken in frame order, into the results of
 * one stream, as if one agent had processed the file serially. The rule:
 *
 * <ol>
 *   <li><b>Ownership.</b> Segment {@code k} owns the frames {@code [start, end)}; only owned frames
 *       are emitted, so each frame is emitted once. Warm-up frames are never owned: their results,
 *       events included, are discarded (they serve only to join tracks, rule 2).</li>
 *   <li><b>Track ids.</b> The first segment's track ids are kept. A track of a later segment that
 *       {@link TrackJoin joins} a track emitted before (by IoU over the warm-up, which overlaps the
 *       previous segment's last frames) takes its id; any other track gets the next id never used
 *       in the run. No id is therefore used for two people, and a person walking across a boundary
 *       keeps one id.</li>
 *   <li><b>Crossings.</b> A {@code crossing} event counts when the frame it is decided on is owned:
 *       it is counted once, by the segment that owns the frame where it happens. The line totals
 *       ({@code line.NAME.in|out}) are the sums of the counted crossings so far.</li>
 *   <li><b>Zones.</b> Who is inside each zone, and since when (media time), is kept across
 *       segments by (joined) track id. On the first frame of a segment the record is handed over:
 *       who the run has inside but the new segment (at the end of its warm-up, by joined id) does not
 *       has left, who the new segment has inside but the run does not has entered, both on that
 *       frame, as events of the run's own. From there the segment's own entries and exits in owned
 *       frames count, as a serial run's do (the agent may repeat an exit or an entry of one track;
 *       a serial run counts those too). An exit's {@code dwell_s} is measured from the entry in the
 *       record, whichever segment counted it, so dwell continues across the boundary.
 *       {@code zone.NAME.entries|exits} and {@code dwell_max_s} are recomputed from the record.</li>
 *   <li><b>Ids and names.</b> Results and events carry the file's stream name; an event's id is
 *       {@code stream/task/type/subject/track/frame} with the joined track id: what a serial run,
 *       whose sequences are the frame numbers, would give for the same track id.</li>
 * </ol>
 *
 * Not thread-safe: {@link SegmentMerge} calls it under its lock.
 */
final class BoundaryStitch {
    private static final String PEOPLE = "people";

    private final String stream;
    private final StitchConfig cfg;
    /** The recording's start (epoch microseconds) the segments' events are dated from; 0: none. */
    private final long recordedAtUs;
    private final Map<Integer, Map<Long, Long>> ids = new HashMap<>(); // segment -> its track id -> run's
    private long nextId = 1;
    /** The run's boxes of recent emitted frames: the earlier side of the next join. */
    private final NavigableMap<Long, Map<Long, BoxF>> recent = new TreeMap<>();
    private final Map<String, long[]> lines = new HashMap<>();
    private final Map<String, ZoneRecord> zones = new HashMap<>();

    private static final class ZoneRecord {
        final Map<Long, Long> inside = new HashMap<>(); // run's track id -> media time of entry
        long entries;
        long exits;
    }

    BoundaryStitch(String stream, StitchConfig cfg, long recordedAtUs) {
        this.stream = stream;
        this.cfg = cfg;
        this.recordedAtUs = recordedAtUs;
    }

    /**
     * When the run's own events of a frame happened: as the agent dates the segments' events, the
     * recording's start plus the frame's presentation time when the run has one, else the frame's
     * capture time.
     */
    private long eventTimeUs(StreamResult r, long mediaUs) {
        return recordedAtUs > 0 && mediaUs > 0 ? recordedAtUs + mediaUs - 1 : r.captureUs();
    }

    /**
     * Before segment {@code s}'s first owned frame: joins its tracks from its warm-up results, and
     * settles who is inside each zone at the boundary (rule 4).
     */
    void join(Segment s, Map<Long, StreamResult> warmUp) {
        Map<Long, Map<Long, BoxF>> later = new TreeMap<>();
        warmUp.forEach((frame, r) -> later.put(frame, boxes(r)));
        Map<Long, Map<Long, BoxF>> earlier = new HashMap<>(recent.subMap(s.warmUpStart(), true, s.start(), false));
        Map<Long, Long> joined = new HashMap<>(TrackJoin.join(earlier, later, cfg));
        ids.put(s.index(), joined);
        handOver = new ZoneHandOver(s, insideAfter(warmUp));
    }

    /** Per zone, the new segment's track ids inside it at the end of its warm-up, from its events. */
    private static Map<String, Set<Long>> insideAfter(Map<Long, StreamResult> warmUp) {
        Map<String, Set<Long>> inside = new HashMap<>();
        for (StreamResult r : new TreeMap<>(warmUp).values()) {
            if (r.result() == null) {
                continue;
            }
            for (TaskResult t : r.result().getTasksList()) {
                for (Event e : t.getTask().equals(PEOPLE) ? t.getEventsList() : List.<Event>of()) {
                    String zone = e.getAttributesOrDefault("zone", "");
                    long track = Long.parseLong(e.getAttributesOrDefault("track", "0"));
                    if (e.getType().equals("zone_enter")) {
                        inside.computeIfAbsent(zone, k -> new TreeSet<>()).add(track);
                    } else if (e.getType().equals("zone_exit")) {
                        inside.computeIfAbsent(zone, k -> new TreeSet<>()).remove(track);
                    }
                }
            }
        }
        return inside;
    }

    /** Who is inside each zone as the new segment takes over, applied on its first owned frame. */
    private record ZoneHandOver(Segment segment, Map<String, Set<Long>> newInside) {
    }

    private @Nullable ZoneHandOver handOver;

    /**
     * Rule 4 at a boundary: someone the run has inside a zone whom the new segment does not have
     * inside (under the joined id) has left, on the boundary frame; someone the new segment has
     * inside whom the run does not has entered, on it. The events are the run's own, with ids like
     * any other, so entries minus exits stays the occupancy.
     */
    private void handOver(Segment s, long frame, long mediaUs, long timeUs, TaskResult.Builder b) {
        ZoneHandOver h = handOver;
        if (h == null || h.segment().index() != s.index()) {
            return;
        }
        handOver = null;
        Set<String> names = new TreeSet<>(zones.keySet());
        names.addAll(h.newInside().keySet());
        for (String zone : names) {
            Set<Long> continuing = new TreeSet<>();
            for (long local : h.newInside().getOrDefault(zone, Set.of())) {
                continuing.add(runId(s, local));
            }
            ZoneRecord z = zones.computeIfAbsent(zone, k -> new ZoneRecord());
            for (long g : new TreeSet<>(z.inside.keySet())) {
                if (!continuing.contains(g)) {
                    Event.Builder e = zoneEvent("zone_exit", zone, g, frame, timeUs);
                    count("zone_exit", zone, g, mediaUs, e.build(), e);
                    b.addEvents(e);
                }
            }
            for (long g : continuing) {
                if (!z.inside.containsKey(g)) {
                    Event.Builder e = zoneEvent("zone_enter", zone, g, frame, timeUs);
                    count("zone_enter", zone, g, mediaUs, e.build(), e);
                    b.addEvents(e);
                }
            }
        }
    }

    private Event.Builder zoneEvent(String type, String zone, long track, long frame, long timeUs) {
        return Event.newBuilder().setId(stream + "/" + PEOPLE + "/" + type + "/" + zone + "/" + track + "/" + frame)
                .setType(type).setStreamId(stream).setSourceIndex(frame).setTimeUs(timeUs)
                .putAttributes("zone", zone).putAttributes("track", Long.toString(track));
    }

    /** Forgets the boxes of frames before {@code frame}: no join will look at them. */
    void forgetBefore(long frame) {
        recent.headMap(frame, false).clear();
    }

    /**
     * The result of an owned frame as the run's.
     *
     * @param mediaUs the frame's media time (what the agent measures dwell with)
     */
    StreamResult emit(Segment s, StreamResult r, long mediaUs) {
        if (!s.owns(r.sourceIndex())) {
            throw new IllegalArgumentException("segment " + s.index() + " does not own frame " + r.sourceIndex());
        }
        FrameResult out = null;
        if (r.result() != null) {
            FrameResult.Builder fb = r.result().toBuilder().setStreamId(stream).setSequence(r.sourceIndex());
            for (int i = 0; i < fb.getTasksCount(); i++) {
                TaskResult t = fb.getTasks(i);
                fb.setTasks(i, t.getTask().equals(PEOPLE) ? people(s, t, r.sourceIndex(), mediaUs, eventTimeUs(r, mediaUs))
                        : renamed(t, r.sourceIndex()));
            }
            out = fb.build();
            Map<Long, BoxF> boxes = boxesOf(out);
            if (!boxes.isEmpty()) { // a frame without tracks joins nothing (TrackJoin): not kept
                recent.put(r.sourceIndex(), boxes);
            }
        }
        return new StreamResult(stream, r.sourceIndex(), out, r.error(), r.errorMessage(), r.agentId(), r.captureUs(),
                r.latencyUs(), r.attempts(), r.context());
    }

    private long runId(Segment s, long local) {
        Map<Long, Long> m = ids.computeIfAbsent(s.index(), k -> new HashMap<>());
        Long g = m.get(local);
        if (g == null) {
            g = s.index() == 0 ? local : nextId;
            m.put(local, g);
        }
        nextId = Math.max(nextId, g + 1);
        return g;
    }

    private TaskResult people(Segment s, TaskResult t, long frame, long mediaUs, long timeUs) {
        TaskResult.Builder b = t.toBuilder().clearEvents();
        handOver(s, frame, mediaUs, timeUs, b);
        for (int i = 0; i < b.getOverlaysCount(); i++) {
            Overlay o = b.getOverlays(i);
            if (o.hasBox() && o.getBox().getTrackId() > 0) {
                b.setOverlays(i, o.toBuilder().setBox(o.getBox().toBuilder().setTrackId(runId(s, o.getBox().getTrackId()))));
            }
        }
        for (Event e : t.getEventsList()) {
            Event.Builder eb = e.toBuilder().setStreamId(stream);
            String track = e.getAttributesOrDefault("track", "");
            long id = track.isEmpty() ? 0 : runId(s, Long.parseLong(track));
            if (!track.isEmpty()) {
                eb.putAttributes("track", Long.toString(id));
            }
            String subject = switch (e.getType()) {
                case "crossing" -> e.getAttributesOrDefault("line", "");
                case "zone_enter", "zone_exit" -> e.getAttributesOrDefault("zone", "");
                default -> null;
            };
            if (subject == null) {
                b.addEvents(eb.setId(renamedId(e.getId(), frame)));
                continue;
            }
            eb.setId(stream + "/" + PEOPLE + "/" + e.getType() + "/" + subject + "/" + id + "/" + frame);
            count(e.getType(), subject, id, mediaUs, e, eb);
            b.addEvents(eb);
        }
        for (String key : t.getNumbersMap().keySet()) {
            if (key.startsWith("line.") && key.endsWith(".in")) {
                String line = key.substring("line.".length(), key.length() - ".in".length());
                long[] v = lines.getOrDefault(line, new long[2]);
                b.putNumbers(key, (double) v[0]).putNumbers("line." + line + ".out", (double) v[1]);
            } else if (key.startsWith("zone.") && key.endsWith(".entries")) {
                String zone = key.substring("zone.".length(), key.length() - ".entries".length());
                ZoneRecord z = zones.getOrDefault(zone, new ZoneRecord());
                long oldest = z.inside.values().stream().mapToLong(Long::longValue).min().orElse(mediaUs);
                b.putNumbers(key, (double) z.entries).putNumbers("zone." + zone + ".exits", (double) z.exits)
                        .putNumbers("zone." + zone + ".dwell_max_s", Math.round(Math.max(0, mediaUs - oldest) / 1e5) / 10.0);
            }
        }
        return b.build();
    }

    /** Rules 3 and 4: an owned frame's event counted, and its figures. */
    private void count(String type, String subject, long id, long mediaUs, Event e, Event.Builder eb) {
        if (type.equals("crossing")) {
            lines.computeIfAbsent(subject, k -> new long[2])["in".equals(e.getAttributesOrDefault("direction", "")) ? 0 : 1]++;
            return;
        }
        ZoneRecord z = zones.computeIfAbsent(subject, k -> new ZoneRecord());
        if (type.equals("zone_enter")) {
            z.inside.putIfAbsent(id, mediaUs);
            z.entries++;
            return;
        }
        Long since = z.inside.remove(id);
        z.exits++;
        if (since != null) {
            eb.putAttributes("dwell_s", Double.toString(Math.round(Math.max(0, mediaUs - since) / 1e5) / 10.0));
        }
    }

    /** Another task's result: its events named for the run's stream. */
    private TaskResult renamed(TaskResult t, long frame) {
        if (t.getEventsCount() == 0) {
            return t;
        }
        TaskResult.Builder b = t.toBuilder().clearEvents();
        for (Event e : t.getEventsList()) {
            b.addEvents(e.toBuilder().setStreamId(stream).setId(renamedId(e.getId(), frame)));
        }
        return b.build();
    }

    /** {@code segment-stream/rest/sequence} -> {@code stream/rest/frame}. */
    private String renamedId(String id, long frame) {
        int first = id.indexOf('/');
        int last = id.lastIndexOf('/');
        return first < 0 || last <= first ? id : stream + id.substring(first, last + 1) + frame;
    }

    private static Map<Long, BoxF> boxes(StreamResult r) {
        return r.result() == null ? Map.of() : boxesOf(r.result());
    }

    private static Map<Long, BoxF> boxesOf(FrameResult f) {
        Map<Long, BoxF> out = new HashMap<>();
        for (TaskResult t : f.getTasksList()) {
            if (t.getTask().equals(PEOPLE)) {
                for (Overlay o : t.getOverlaysList()) {
                    if (o.hasBox() && o.getBox().getTrackId() > 0) {
                        var b = o.getBox();
                        out.put(b.getTrackId(), new BoxF(b.getX(), b.getY(), b.getWidth(), b.getHeight()));
                    }
                }
            }
        }
        return out;
    }
}
