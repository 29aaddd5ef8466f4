package io.argus.app.console.feed;

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
import io.argus.protocol.v1.Code;
import io.argus.protocol.v1.Event;
import io.argus.protocol.v1.TaskResult;
import io.github.resilience4j.core.IntervalFunction;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Feeds one source through the cluster for the console: reads frames on its own thread (files at
 * their own rate, so they behave like cameras), converts each to screen pixels there, sends it, and
 * turns results into overlay shapes on the client's delivery thread. The JavaFX thread only reads
 * the two single-slot holders ({@link #latestLive()}, {@link #latestAligned()}) and the snapshot:
 * nothing queues up behind a slow UI. The figures of the snapshot are {@link FeedFigures}'s, the
 * overlay shapes {@link OverlayShapes}'.
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
    private final FeedFigures figures = new FeedFigures();
    private final Deque<Event> events = new ArrayDeque<>();
    private final List<Event> newEvents = new ArrayList<>();
    private volatile String agent = "";
    private volatile String routeNote = "";
    private volatile long lastResultNanos = System.nanoTime();
    private volatile boolean running = true;
    private volatile boolean ended;
    /** The newest result's overlays with the frame they belong to (its own index and capture time). */
    private volatile FramePicture lastOverlays = new FramePicture(0, 0, new int[0], List.of(), FramePicture.NO_OVERLAYS, 0);

    private final AgentAnswers answers;

    /** {@code answers} collects every answer's latency and shedding per agent (for the Cluster tab). */
    public StreamFeed(ArgusClient client, SourceSpec spec, AgentAnswers answers) {
        this.spec = spec;
        this.answers = answers;
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
        if (p == null) {
            return null;
        }
        FramePicture o = lastOverlays;
        return new FramePicture(p.width(), p.height(), p.argb(), o.shapes(), p.index(), p.captureUs(), o.index(),
                o.captureUs());
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
                        figures.sent();
                    } else {
                        figures.dropped();
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
            figures.delivered(r.latencyUs());
            answers.record(r.agentId(), r.latencyUs(),
                    r.ok() ? r.okResult().getDegraded() : r.error() == Code.OVERLOADED);
            lastResultNanos = System.nanoTime();
            if (!r.ok()) {
                figures.failed();
                snapshot.set(build(r));
                return;
            }
            agent = r.agentId();
            routeNote = "";
            List<Shape> shapes = OverlayShapes.shapes(r);
            if (r.context() instanceof FramePicture p) {
                FramePicture withOwn = new FramePicture(p.width(), p.height(), p.argb(), shapes, p.index(), p.captureUs());
                lastOverlays = withOwn;
                aligned.set(withOwn);
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
                figures.droppedCount(), figures.failedCount(), s.lines(), s.zones(), s.visible(), s.configVersion(),
                s.shedding());
    }

    private FeedSnapshot build(StreamResult r) {
        return figures.build(r, agent, session == null ? 1 : session.frameStride());
    }

    @Override
    public void close() {
        running = false;
        reader.interrupt();
        session.close();
    }
}
