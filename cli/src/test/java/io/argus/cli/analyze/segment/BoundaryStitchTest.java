package io.argus.cli.analyze.segment;

import io.argus.client.StreamResult;
import io.argus.media.segment.Segment;
import io.argus.protocol.v1.Box;
import io.argus.protocol.v1.Code;
import io.argus.protocol.v1.Event;
import io.argus.protocol.v1.FrameResult;
import io.argus.protocol.v1.Overlay;
import io.argus.protocol.v1.TaskResult;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The stitching rule on synthetic people: each segment is processed by a small stand-in for the
 * agent's tracker (ids by first sighting in the segment, a crossing when the foot changes side of
 * the line after a first sighting, zone entries and exits by the foot point), so what each segment
 * reports is what the rule has to undo. Two segments: A owns 0-99, B owns 100-199 and warms up on
 * 80-99.
 */
class BoundaryStitchTest {
    static final double LINE_X = 400;
    static final double ZONE_X0 = 300;
    static final double ZONE_X1 = 600;
    static final Segment A = new Segment(0, 0, 0, 0, 100);
    static final Segment B = new Segment(1, 0, 80, 100, 200);

    /** A walker: where their box is at each frame they are in view. */
    record Person(long firstFrame, long lastFrame, double x0, double dxPerFrame, double y) {
        boolean seen(long f) {
            return f >= firstFrame && f <= lastFrame;
        }

        double footX(long f) {
            return x0 + dxPerFrame * (f - firstFrame) + 20;
        }
    }

    /** What the agent would answer for segment {@code s}: its own track ids, events and counters. */
    static List<StreamResult> segmentResults(Segment s, List<Person> people, long firstLocalId) {
        Map<Person, Long> ids = new HashMap<>();
        Map<Person, Integer> side = new HashMap<>();
        Map<Person, Long> enteredUs = new HashMap<>();
        long next = firstLocalId;
        long in = 0;
        long out = 0;
        List<StreamResult> results = new ArrayList<>();
        for (long f = s.warmUpStart(); f < s.end(); f++) {
            long seq = f - s.warmUpStart();
            long us = f * 100_000 + 1;
            TaskResult.Builder t = TaskResult.newBuilder().setTask("people").setStatus(Code.OK);
            for (Person p : people) {
                boolean seen = p.seen(f);
                Long id = ids.get(p);
                if (seen && id == null) {
                    id = next++;
                    ids.put(p, id);
                }
                if (id == null) {
                    continue;
                }
                double foot = p.footX(f);
                boolean inZone = seen && foot >= ZONE_X0 && foot < ZONE_X1;
                if (inZone && !enteredUs.containsKey(p)) {
                    enteredUs.put(p, us);
                    t.addEvents(event(s, "zone_enter", "hall", id, seq, f).build());
                } else if (!inZone && enteredUs.containsKey(p)) {
                    long since = enteredUs.remove(p);
                    t.addEvents(event(s, "zone_exit", "hall", id, seq, f)
                            .putAttributes("dwell_s", Double.toString((us - since) / 1e6)).build());
                }
                if (!seen) {
                    continue;
                }
                int now = foot > LINE_X ? 1 : -1;
                Integer before = side.put(p, now);
                if (before != null && before != now) {
                    if (now > 0) {
                        in++;
                    } else {
                        out++;
                    }
                    t.addEvents(event(s, "crossing", "door", id, seq, f).putAttributes("direction", now > 0 ? "in" : "out").build());
                }
                t.addOverlays(Overlay.newBuilder().setBox(Box.newBuilder().setX((float) (foot - 20)).setY((float) p.y())
                        .setWidth(40).setHeight(100).setLabel("person").setTrackId(id)));
            }
            t.putNumbers("line.door.in", (double) in).putNumbers("line.door.out", (double) out).putNumbers("zone.hall.entries", 0)
                    .putNumbers("zone.hall.exits", 0).putNumbers("zone.hall.dwell_max_s", 0);
            FrameResult r = FrameResult.newBuilder().setStreamId(stream(s)).setSequence(seq).setSourceIndex(f).addTasks(t).build();
            results.add(new StreamResult(stream(s), f, r, Code.OK, null, "agent", 0, 0, 1, us));
        }
        return results;
    }

    static String stream(Segment s) {
        return "hall" + ParallelAnalysis.SEGMENT_SUFFIX + s.index();
    }

    static Event.Builder event(Segment s, String type, String subject, long id, long seq, long frame) {
        return Event.newBuilder().setId(stream(s) + "/people/" + type + "/" + subject + "/" + id + "/" + seq).setType(type)
                .setStreamId(stream(s)).setSourceIndex(frame)
                .putAttributes(type.equals("crossing") ? "line" : "zone", subject).putAttributes("track", Long.toString(id));
    }

    /** Runs both segments' results through the merge, B's first and interleaved at random. */
    static List<StreamResult> merged(List<Person> people) {
        return merged(people, StitchConfig.DEFAULT);
    }

    static List<StreamResult> merged(List<Person> people, StitchConfig cfg) {
        List<StreamResult> a = segmentResults(A, people, 7);
        List<StreamResult> b = segmentResults(B, people, 1);
        List<StreamResult> out = new ArrayList<>();
        SegmentMerge merge = new SegmentMerge(List.of(A, B), "hall", cfg, out::add);
        var la = merge.listener(A);
        var lb = merge.listener(B);
        Random rnd = new Random(21);
        int i = 0;
        int j = 0;
        while (i < a.size() || j < b.size()) {
            if (j < b.size() && (i == a.size() || rnd.nextInt(3) > 0)) {
                lb.onResult(b.get(j++));
            } else {
                la.onResult(a.get(i++));
            }
        }
        assertThat(merge.complete()).isTrue();
        return out;
    }

    static List<Event> events(List<StreamResult> results, String type) {
        List<Event> out = new ArrayList<>();
        for (StreamResult r : results) {
            r.okResult().getTasks(0).getEventsList().stream().filter(e -> e.getType().equals(type)).forEach(out::add);
        }
        return out;
    }

    /** A walker at 10 px a frame whose foot crosses x=400 between {@code frame - 1} and {@code frame}. */
    static Person crossingAt(long frame) {
        long first = frame - 30;
        double x0 = LINE_X - 20 - 10 * 30 + 5; // foot at frame: 400 + 5
        return new Person(first, frame + 40, x0, 10, 200);
    }

    @Test
    void aCrossingOnTheLastFrameOfASegmentIsCountedOnceByThatSegment() {
        List<StreamResult> out = merged(List.of(crossingAt(99)));
        List<Event> crossings = events(out, "crossing");
        assertThat(crossings).hasSize(1);
        assertThat(crossings.get(0).getSourceIndex()).isEqualTo(99);
        assertThat(crossings.get(0).getId()).isEqualTo("hall/people/crossing/door/7/99");
        assertThat(out.get(199).okResult().getTasks(0).getNumbersOrThrow("line.door.in")).isEqualTo(1);
    }

    @Test
    void aCrossingOnTheFirstFrameOfASegmentIsCountedOnceByTheNextAndKeepsTheTrackId() {
        List<StreamResult> out = merged(List.of(crossingAt(100)));
        List<Event> crossings = events(out, "crossing");
        assertThat(crossings).hasSize(1);
        assertThat(crossings.get(0).getSourceIndex()).isEqualTo(100);
        // B's tracker called the walker 1; joined over frames 80-99 with A's 7
        assertThat(crossings.get(0).getAttributesOrThrow("track")).isEqualTo("7");
        assertThat(crossings.get(0).getId()).isEqualTo("hall/people/crossing/door/7/100");
        assertThat(out.get(99).okResult().getTasks(0).getNumbersOrThrow("line.door.in")).isZero();
        assertThat(out.get(100).okResult().getTasks(0).getNumbersOrThrow("line.door.in")).isEqualTo(1);
    }

    @Test
    void everyFrameComesOnceInOrderUnderTheFilesName() {
        List<StreamResult> out = merged(List.of(crossingAt(100)));
        assertThat(out).hasSize(200);
        for (int f = 0; f < 200; f++) {
            assertThat(out.get(f).sourceIndex()).isEqualTo(f);
            assertThat(out.get(f).streamId()).isEqualTo("hall");
            assertThat(out.get(f).okResult().getSequence()).isEqualTo(f);
        }
    }

    @Test
    void trackIdsAreNeverSharedByTwoPeopleAcrossSegments() {
        Person early = new Person(10, 40, 50, 1, 400);         // A's 7, gone before B's warm-up
        Person across = crossingAt(100);                        // A's 8, B's 1 (joined)
        Person late = new Person(150, 199, 700, -1, 50);        // B's 2: becomes 9, neither 1 nor 2 nor 7 nor 8
        List<StreamResult> out = merged(List.of(across, early, late));
        Map<Long, List<Long>> framesById = new HashMap<>();
        for (StreamResult r : out) {
            for (Overlay o : r.okResult().getTasks(0).getOverlaysList()) {
                framesById.computeIfAbsent(o.getBox().getTrackId(), k -> new ArrayList<>()).add(r.sourceIndex());
            }
        }
        assertThat(framesById.keySet()).containsExactlyInAnyOrder(7L, 8L, 9L);
        assertThat(framesById.get(8L)).hasSize((int) (across.lastFrame() - across.firstFrame() + 1));
        assertThat(Collections.min(framesById.get(9L))).isEqualTo(150);
        assertThat(Collections.max(framesById.get(7L))).isEqualTo(40);
    }

    @Test
    void dwellContinuesAcrossTheBoundaryAndEachEntryAndExitCountsOnce() {
        // foot (270 + 3 px a frame from frame 50) enters the zone (x >= 300) at frame 60, in A, and
        // leaves it (x >= 600) at frame 160, in B
        Person p = new Person(50, 170, 250, 3, 200);
        List<StreamResult> out = merged(List.of(p));
        List<Event> enters = events(out, "zone_enter");
        List<Event> exits = events(out, "zone_exit");
        assertThat(enters).hasSize(1);
        assertThat(enters.get(0).getSourceIndex()).isEqualTo(60);
        assertThat(exits).hasSize(1);
        assertThat(exits.get(0).getSourceIndex()).isEqualTo(160);
        // B's tracker saw the walker arrive at 80, in its warm-up: its own dwell is 8.0 s; the run's 10.0 s
        assertThat(exits.get(0).getAttributesOrThrow("dwell_s")).isEqualTo("10.0");
        assertThat(out.get(150).okResult().getTasks(0).getNumbersOrThrow("zone.hall.dwell_max_s")).isEqualTo(9.0);
        TaskResult last = out.get(199).okResult().getTasks(0);
        assertThat(last.getNumbersOrThrow("zone.hall.entries")).isEqualTo(1);
        assertThat(last.getNumbersOrThrow("zone.hall.exits")).isEqualTo(1);
    }

    @Test
    void someoneInsideAZoneWhoseTrackCannotBeJoinedLeavesAndEntersOnTheBoundaryFrame() {
        Person p = new Person(50, 170, 250, 3, 200);
        // no pair can share 1000 frames: nothing is joined
        List<StreamResult> out = merged(List.of(p), StitchConfig.builder().minSharedFrames(1000).build());
        List<Event> enters = events(out, "zone_enter");
        List<Event> exits = events(out, "zone_exit");
        assertThat(enters).extracting(Event::getSourceIndex).containsExactly(60L, 100L);
        assertThat(exits).extracting(Event::getSourceIndex).containsExactly(100L, 160L);
        assertThat(exits.get(0).getAttributesOrThrow("track")).isEqualTo("7");
        assertThat(enters.get(1).getAttributesOrThrow("track")).isEqualTo("8");
        assertThat(exits.get(0).getAttributesOrThrow("dwell_s")).isEqualTo("4.0");
        TaskResult last = out.get(199).okResult().getTasks(0);
        assertThat(last.getNumbersOrThrow("zone.hall.entries")).isEqualTo(2);
        assertThat(last.getNumbersOrThrow("zone.hall.exits")).isEqualTo(2);
    }
}
