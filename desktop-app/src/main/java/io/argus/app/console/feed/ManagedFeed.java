package io.argus.app.console.feed;

import io.argus.client.StreamResult;
import io.argus.client.StreamWatcher;
import io.argus.protocol.Envelopes;
import io.argus.cluster.AgentDirectory;
import io.argus.cluster.ClusterView;
import io.argus.cluster.ManagedState;
import io.argus.cluster.ManagedStatus;
import io.argus.protocol.v1.Code;
import io.argus.protocol.v1.Event;
import io.argus.protocol.v1.FrameResult;
import io.argus.protocol.v1.Preview;
import io.argus.protocol.v1.TaskResult;
import org.jspecify.annotations.Nullable;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import javafx.scene.image.Image;
import javafx.scene.image.PixelFormat;

/**
 * A managed stream, watched: the console subscribes to its results and downscaled previews on
 * whichever agent runs it, and follows it when it moves. Nothing is sent; a slow console simply
 * misses previews (the agent skips viewers that cannot keep up).
 *
 * <p>Results arrive on the watcher's Netty thread, which only records them (counts, events, the
 * snapshot: cheap). Decoding a preview's JPEG and scaling its overlays is not work for an event
 * loop: it goes to one decoder thread per feed, which always takes the newest preview waiting and
 * drops any older one (a picture nobody will see is not worth decoding).
 */
public final class ManagedFeed implements Feed {
    private final SourceSpec spec;
    private final AtomicReference<FramePicture> latest = new AtomicReference<>();
    private final AtomicReference<FeedSnapshot> snapshot = new AtomicReference<>(FeedSnapshot.STARTING);
    private final List<Event> newEvents = new ArrayList<>();
    private final StreamWatcher watcher;
    private final ClusterView view;
    /** Whether a preview ever came: until one does, the agent's reported state is the news. */
    private volatile boolean previewed;
    private final AgentAnswers answers;
    /** Preview pictures are decoded off the Netty thread, the newest only. */
    private final NewestOnly<Preview> decoder;
    private volatile long lastNanos = System.nanoTime();
    private long frames;
    private long windowStart = System.nanoTime();
    private double fps;

    /**
     * @param tls   the console's TLS settings, or null for plaintext
     * @param token the console's token ("" for none)
     * @param answers where each preview's latency and shedding is counted for its agent
     */
    public ManagedFeed(String stream, ClusterView view, AgentDirectory directory, io.argus.protocol.tls.@Nullable TlsSettings tls,
                       String token, AgentAnswers answers) throws javax.net.ssl.SSLException {
        this.answers = answers;
        this.spec = new SourceSpec(stream, "managed", false, List.of());
        this.view = view;
        this.decoder = new NewestOnly<>("console-preview-" + stream, this::decode);
        this.watcher = new StreamWatcher(stream, view, directory, tls, token, "console-watch", this::accept);
    }

    private void accept(Preview p) {
        lastNanos = System.nanoTime();
        previewed = true;
        FrameResult r = p.getResult();
        StreamResult sr = new StreamResult(spec.name(), r.getSourceIndex(), r, Code.OK, "", r.getAgentId(),
                r.getCaptureTimeUs(), Envelopes.nowMicros() - r.getCaptureTimeUs(), 1, null);
        answers.record(r.getAgentId(), sr.latencyUs(), r.getDegraded());
        if (p.hasImage() && !p.getImage().getData().isEmpty()) {
            decoder.offer(p);
        }
        record(r, sr);
    }

    /** On the decoder thread: a preview's picture, with its overlays scaled onto it. */
    private void decode(Preview p) {
        FrameResult r = p.getResult();
        var shapes = OverlayShapes.shapes(r);
        Image img = new Image(new ByteArrayInputStream(p.getImage().getData().toByteArray()));
        int w = (int) img.getWidth();
        int h = (int) img.getHeight();
        if (img.isError() || img.getPixelReader() == null || w <= 0 || h <= 0) {
            return; // a preview that does not decode: the previous picture stays
        }
        int[] argb = new int[w * h];
        img.getPixelReader().getPixels(0, 0, w, h, PixelFormat.getIntArgbPreInstance(), argb, 0, w);
        // overlays are in the full frame's coordinates: scale them onto the preview
        double k = (double) w / Math.max(1, r.getWidth());
        List<Shape> scaled = new ArrayList<>();
        for (var s : shapes) {
            double[] xs = s.xs().clone();
            double[] ys = s.ys().clone();
            for (int i = 0; i < xs.length; i++) {
                xs[i] *= k;
                ys[i] *= k;
            }
            scaled.add(new Shape(s.kind(), xs, ys, s.label(), s.rgb()));
        }
        latest.set(new FramePicture(w, h, argb, scaled, r.getSourceIndex(), r.getCaptureTimeUs()));
    }

    /** On the Netty thread: what a result changes besides the picture (cheap). */
    private void record(FrameResult r, StreamResult sr) {
        synchronized (this) {
            for (TaskResult t : r.getTasksList()) {
                newEvents.addAll(t.getEventsList());
            }
            frames++;
            long now = System.nanoTime();
            if (now - windowStart > 1_000_000_000L) {
                fps = frames / ((now - windowStart) / 1e9);
                frames = 0;
                windowStart = now;
            }
        }
        Map<String, long[]> lines = new LinkedHashMap<>();
        int visible = 0;
        for (TaskResult t : r.getTasksList()) {
            for (var e : t.getNumbersMap().entrySet()) {
                String k = e.getKey();
                if (k.startsWith("line.") && (k.endsWith(".in") || k.endsWith(".out"))) {
                    lines.computeIfAbsent(k.substring(5, k.lastIndexOf('.')), x -> new long[2])[k.endsWith(".in") ? 0 : 1] =
                            Math.round(e.getValue());
                }
            }
            visible += (int) Math.round(t.getNumbersOrDefault("people.visible", 0));
        }
        snapshot.set(new FeedSnapshot(r.getAgentId(), "LIVE", "on " + r.getAgentId(), fps, fps,
                sr.latencyUs() / 1000.0, sr.latencyUs() / 1000.0, sr.latencyUs() / 1000.0, 0, 0, lines, Map.of(), visible,
                r.getConfigVersion(), r.getDegraded()));
    }

    @Override
    public SourceSpec spec() {
        return spec;
    }

    @Override
    public @Nullable FramePicture latestLive() {
        return latest.get();
    }

    @Override
    public @Nullable FramePicture latestAligned() {
        return latest.get();
    }

    @Override
    public FeedSnapshot refresh() {
        FeedSnapshot s = Objects.requireNonNull(snapshot.get()); // starts as STARTING, never cleared
        long silent = (System.nanoTime() - lastNanos) / 1_000_000;
        // no previews: what the agent says about the stream (retrying, failed, finished) beats a guess
        Optional<ManagedStatus> reported = !previewed || silent > 5_000 ? view.managedStatus(spec.name()) : Optional.empty();
        if (reported.isPresent() && reported.get().state() != ManagedState.RUNNING) {
            ManagedStatus st = reported.get();
            return new FeedSnapshot(st.agent(), st.state().name(), describe(st, System.currentTimeMillis()), 0, 0, 0, 0, 0,
                    0, 0, s.lines(), s.zones(), s.visible(), s.configVersion(), false);
        }
        if (silent > 5_000) {
            return new FeedSnapshot(s.agent(), "OFFLINE", "no preview for " + silent / 1000 + " s", 0, 0, 0, 0, 0, 0, 0,
                    s.lines(), s.zones(), s.visible(), s.configVersion(), false);
        }
        return s;
    }

    /** A reported state in words for the stream's badge: the last error, and when the agent tries again. */
    static String describe(ManagedStatus st, long nowMs) {
        String error = st.lastError() == null ? "" : st.lastError();
        return switch (st.state()) {
            case RETRYING -> error + "; next attempt in " + Math.max(0, (st.nextAttemptAtMs() - nowMs + 999) / 1000) + " s";
            case FAILED -> error + " (given up after " + st.failures() + " failures; add the stream again to retry)";
            case FINISHED -> "read to its end";
            case STARTING -> st.agent().isEmpty() ? "waiting for an agent" : "starting on " + st.agent();
            case RUNNING -> "on " + st.agent();
        };
    }

    @Override
    public synchronized List<Event> drainNewEvents() {
        List<Event> out = new ArrayList<>(newEvents);
        newEvents.clear();
        return out;
    }

    @Override
    public void close() {
        watcher.close();
        decoder.close();
    }
}
