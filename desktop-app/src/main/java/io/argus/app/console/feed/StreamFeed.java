package io.argus.app.console.feed;

import io.argus.app.console.model.FramePicture;
import io.argus.app.console.model.Shape;
import io.argus.client.ArgusClient;
import io.argus.client.FrameEncoder;
import io.argus.client.ResultListener;
import io.argus.client.StreamResult;
import io.argus.client.StreamSession;
import io.argus.client.StreamSpec;
import io.argus.media.FrameSource;
import io.argus.media.Sources;
import io.argus.media.VideoFrame;
import io.argus.protocol.Envelopes;
import io.argus.protocol.v1.Box;
import io.argus.protocol.v1.Code;
import io.argus.protocol.v1.Event;
import io.argus.protocol.v1.Overlay;
import io.argus.protocol.v1.Point;
import io.argus.protocol.v1.Polyline;
import io.argus.protocol.v1.TaskResult;
import io.github.resilience4j.core.IntervalFunction;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Feeds one source through the cluster for the console: reads frames on its own thread (files at
 * their own rate, so they behave like cameras), converts each to screen pixels there, sends it, and
 * turns results into overlay shapes on the client's delivery thread. The JavaFX thread only reads
 * the two single-slot holders ({@link #latestLive()}, {@link #latestAligned()}) and the snapshot:
 * nothing queues up behind a slow UI.
 */
public final class StreamFeed implements Feed {
    private static final Logger log = LoggerFactory.getLogger(StreamFeed.class);
    /** Events kept for the detail view (the newest; older ones are in the coordinator's record). */
    static final int MAX_EVENTS = 500;

    private final SourceSpec spec;
    private final StreamSession session;
    private final Thread reader;
    private final AtomicReference<FramePicture> live = new AtomicReference<>();
    private final AtomicReference<FramePicture> aligned = new AtomicReference<>();
    private final AtomicReference<FeedSnapshot> snapshot = new AtomicReference<>(FeedSnapshot.STARTING);
    private final Recorder latency = new Recorder(3_600_000_000L, 2);
    private final Deque<Event> events = new ArrayDeque<>();
    private final List<Event> newEvents = new ArrayList<>();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final double[] rates = new double[2];
    private long rateAtNanos = System.nanoTime();
    private long sentAtLast;
    private long deliveredAtLast;
    private Histogram window = new Histogram(3_600_000_000L, 2);
    private volatile String agent = "";
    private volatile String routeNote = "";
    private volatile long lastResultNanos = System.nanoTime();
    private volatile boolean running = true;
    private volatile boolean ended;
    private volatile List<Shape> lastShapes = List.of();

    public StreamFeed(ArgusClient client, SourceSpec spec) {
        this.spec = spec;
        StreamSpec s = StreamSpec.builder(spec.name()).tasks(spec.tasks()).window(3).build();
        this.session = client.open(s, new Listener());
        this.reader = new Thread(this::read, "argus-feed-" + spec.name());
        reader.setDaemon(true);
        reader.start();
    }

    @Override
    public SourceSpec spec() {
        return spec;
    }

    /** The newest frame read, with the newest overlays (lowest latency). */
    @Override
    public @Nullable FramePicture latestLive() {
        FramePicture p = live.get();
        return p == null ? null : new FramePicture(p.width(), p.height(), p.argb(), lastShapes, p.index(), p.captureUs());
    }

    /** The newest frame whose result has arrived, with exactly its own overlays. */
    @Override
    public @Nullable FramePicture latestAligned() {
        return aligned.get();
    }

    public FeedSnapshot snapshot() {
        return Objects.requireNonNull(snapshot.get()); // starts as STARTING, never cleared
    }

    /** Events that arrived since the last call (in order). */
    @Override
    public synchronized List<Event> drainNewEvents() {
        List<Event> out = new ArrayList<>(newEvents);
        newEvents.clear();
        return out;
    }

    public synchronized List<Event> recentEvents() {
        return new ArrayList<>(events);
    }

    /** First pause before a failed source is opened again. */
    public static final long REOPEN_FIRST_MS = 1_000;
    /** Longest pause between attempts to open a failed source (a camera that is off stays polled). */
    public static final long REOPEN_MAX_MS = 30_000;
    private static final IntervalFunction REOPEN =
            IntervalFunction.ofExponentialBackoff(REOPEN_FIRST_MS, 2.0, REOPEN_MAX_MS);

    private void read() {
        int failures = 0;
        while (running) {
            try (FrameSource src = Sources.open(spec.source(), spec.loop())) {
                failures = 0;
                FrameEncoder enc = FrameEncoder.jpeg(80);
                boolean isLive = src.live();
                double fps = isLive ? 0 : src.frameRate() > 0 ? src.frameRate() : 1;
                long start = System.nanoTime();
                long n = 0;
                VideoFrame f;
                while (running && (f = src.next()) != null) {
                    if (fps > 0) {
                        long wait = start + (long) (n * 1e9 / fps) - System.nanoTime();
                        if (wait > 0) {
                            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                        }
                    }
                    n++;
                    long captured = Envelopes.nowMicros();
                    FramePicture picture = new FramePicture(f.width(), f.height(), FramePicture.argb(f.bgr(), f.width(),
                            f.height()), List.of(), f.index(), captured);
                    live.set(picture);
                    // a frame the cluster cannot take now is dropped: the console shows live video,
                    // it does not build a backlog
                    VideoFrame frame = f;
                    if (session.offer(f.index(), captured, isLive ? 0 : f.timestampUs() + 1, () -> enc.encode(frame),
                            picture)) {
                        sent.incrementAndGet();
                    } else {
                        dropped.incrementAndGet();
                    }
                }
                if (!spec.loop() && !isLive) {
                    ended = true;
                    return;
                }
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                if (!running) {
                    return;
                }
                long pause = REOPEN.apply(++failures);
                log.warn("source {} failed: {}; reopening in {} ms", spec.source(), e.getMessage(), pause);
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    private final class Listener implements ResultListener {
        @Override
        public void onResult(StreamResult r) {
            delivered.incrementAndGet();
            lastResultNanos = System.nanoTime();
            latency.recordValue(Math.max(0, Math.min(r.latencyUs(), 3_600_000_000L)));
            if (!r.ok()) {
                failed.incrementAndGet();
                snapshot.set(build(r));
                return;
            }
            agent = r.agentId();
            routeNote = "";
            List<Shape> shapes = shapes(r);
            lastShapes = shapes;
            if (r.context() instanceof FramePicture p) {
                aligned.set(new FramePicture(p.width(), p.height(), p.argb(), shapes, p.index(), p.captureUs()));
            }
            synchronized (StreamFeed.this) {
                for (TaskResult t : r.okResult().getTasksList()) {
                    for (Event e : t.getEventsList()) {
                        events.addLast(e);
                        newEvents.add(e);
                        if (events.size() > MAX_EVENTS) {
                            events.removeFirst();
                        }
                    }
                }
                if (newEvents.size() > MAX_EVENTS) {
                    newEvents.subList(0, newEvents.size() - MAX_EVENTS).clear();
                }
            }
            snapshot.set(build(r));
        }

        @Override
        public void onRouteChange(String streamId, @Nullable String fromAgent, String toAgent, String reason) {
            routeNote = toAgent == null ? "no agent available" : (fromAgent == null ? "starting on " + toAgent
                    : "moving to " + toAgent);
        }
    }

    /** Called periodically (from the view model's pulse) so that rates and OFFLINE show without results. */
    @Override
    public FeedSnapshot refresh() {
        FeedSnapshot s = Objects.requireNonNull(snapshot.get());
        String status = s.status();
        String detail = s.detail();
        long silentMs = (System.nanoTime() - lastResultNanos) / 1_000_000;
        if (ended) {
            status = "ENDED";
            detail = "end of source";
        } else if (!routeNote.isEmpty()) {
            status = "MOVING";
            detail = routeNote;
        } else if (silentMs > 5_000) {
            status = "OFFLINE";
            detail = "no result for " + silentMs / 1000 + " s";
        }
        return new FeedSnapshot(s.agent(), status, detail, s.fpsIn(), s.fpsOut(), s.p50Ms(), s.p95Ms(), s.p99Ms(),
                dropped.get(), failed.get(), s.lines(), s.zones(), s.visible(), s.configVersion());
    }

    private synchronized FeedSnapshot build(StreamResult r) {
        long now = System.nanoTime();
        double dt = (now - rateAtNanos) / 1e9;
        if (dt >= 1) {
            rates[0] = (sent.get() - sentAtLast) / dt;
            rates[1] = (delivered.get() - deliveredAtLast) / dt;
            sentAtLast = sent.get();
            deliveredAtLast = delivered.get();
            rateAtNanos = now;
            window = latency.getIntervalHistogram(); // the last second or so
        }
        Map<String, long[]> lines = new LinkedHashMap<>();
        Map<String, Integer> zones = new LinkedHashMap<>();
        int visible = 0;
        boolean degraded = !r.ok() || r.okResult().getDegraded();
        if (r.ok()) {
            for (TaskResult t : r.okResult().getTasksList()) {
                degraded |= t.getStatus() != Code.OK;
                t.getNumbersMap().forEach((k, v) -> {
                    if (k.startsWith("line.") && (k.endsWith(".in") || k.endsWith(".out"))) {
                        String name = k.substring(5, k.lastIndexOf('.'));
                        long[] io = lines.computeIfAbsent(name, x -> new long[2]);
                        io[k.endsWith(".in") ? 0 : 1] = Math.round(v);
                    } else if (k.startsWith("zone.") && k.endsWith(".occupancy")) {
                        zones.put(k.substring(5, k.length() - ".occupancy".length()), (int) Math.round(v));
                    }
                });
                visible += (int) Math.round(t.getNumbersOrDefault("people.visible", 0));
            }
        }
        int stride = session == null ? 1 : session.frameStride();
        boolean shed = r.ok() && r.okResult().getDegraded();
        String status = degraded || stride > 1 ? "DEGRADED" : "LIVE";
        String detail;
        if (!r.ok()) {
            detail = r.error() + ": " + r.errorMessage();
        } else if (stride > 1 || shed) {
            detail = r.agentId() + " is shedding load; sending 1 frame in " + stride;
        } else if (degraded) {
            detail = "a task failed";
        } else {
            detail = "on " + r.agentId();
        }
        return new FeedSnapshot(r.ok() ? r.agentId() : agent, status, detail, rates[0], rates[1],
                window.getValueAtPercentile(50) / 1000.0, window.getValueAtPercentile(95) / 1000.0,
                window.getValueAtPercentile(99) / 1000.0, dropped.get(), failed.get(), lines, zones, visible,
                r.ok() ? r.okResult().getConfigVersion() : 0);
    }

    /** Overlay geometry of a result, in frame coordinates. */
    static List<Shape> shapes(StreamResult r) {
        List<Shape> out = new ArrayList<>();
        for (TaskResult t : r.okResult().getTasksList()) {
            for (Overlay o : t.getOverlaysList()) {
                switch (o.getShapeCase()) {
                    case BOX -> {
                        Box b = o.getBox();
                        String label = b.getTrackId() > 0 ? "#" + b.getTrackId() : b.getLabel().equals("text") ? "" : b.getLabel();
                        int rgb = switch (b.getLabel()) {
                            case "person" -> 0x4caf50;
                            case "face" -> 0x03a9f4;
                            case "text" -> 0xffeb3b;
                            default -> 0xff9800;
                        };
                        out.add(new Shape(Shape.Kind.BOX, new double[]{b.getX(), b.getX() + b.getWidth()},
                                new double[]{b.getY(), b.getY() + b.getHeight()}, label, rgb));
                    }
                    case POLYLINE -> {
                        Polyline p = o.getPolyline();
                        double[] xs = new double[p.getPointsCount()];
                        double[] ys = new double[p.getPointsCount()];
                        for (int i = 0; i < xs.length; i++) {
                            Point q = p.getPoints(i);
                            xs[i] = q.getX();
                            ys[i] = q.getY();
                        }
                        out.add(new Shape(p.getClosed() ? Shape.Kind.POLYGON : Shape.Kind.LINE, xs, ys, p.getLabel(),
                                p.getRgb() == 0 ? 0xffc107 : p.getRgb()));
                    }
                    case TEXT -> out.add(new Shape(Shape.Kind.TEXT, new double[]{o.getText().getX()},
                            new double[]{o.getText().getY()}, o.getText().getText(), 0xffeb3b));
                    default -> {
                    }
                }
            }
        }
        return out;
    }

    @Override
    public void close() {
        running = false;
        reader.interrupt();
        session.close();
    }
}
