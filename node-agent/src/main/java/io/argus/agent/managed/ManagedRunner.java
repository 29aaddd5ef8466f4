package io.argus.agent.managed;

import com.google.protobuf.UnsafeByteOperations;
import io.argus.agent.exec.LaneJob;
import io.argus.agent.net.AgentRuntime;
import io.argus.agent.record.StateClient;
import io.argus.media.FrameSource;
import io.argus.media.Sources;
import io.argus.media.VideoFrame;
import io.argus.protocol.Envelopes;
import io.argus.protocol.cluster.ClusterView;
import io.argus.protocol.cluster.StreamConfig;
import io.argus.protocol.cluster.StreamDefinition;
import io.argus.protocol.v1.Code;
import io.argus.protocol.v1.Encoding;
import io.argus.protocol.v1.FrameRequest;
import io.argus.protocol.v1.FrameResult;
import io.argus.protocol.v1.Image;
import io.argus.protocol.v1.TaskRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Pulls one managed stream's source and feeds its frames to the agent's own pipeline (through the
 * stream's lane, like any client's frames). Parameters come from the stream definition merged with
 * the central configuration on every frame, so configuration changes apply at once.
 *
 * <p>Live sources are read as fast as they deliver; files at their own frame rate. A frame the lane
 * cannot take (the agent is behind) is dropped, never queued without bound: a live camera does not
 * wait. When the source fails it is reopened with a backoff of 1 s doubling to 30 s.
 */
final class ManagedRunner {
    private static final Logger log = LoggerFactory.getLogger(ManagedRunner.class);
    private final StreamDefinition def;
    private final AgentRuntime rt;
    private final ClusterView view;
    private final StateClient states;
    private final Thread thread;
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean running = true;
    private volatile FrameSource source;
    private long sequence;

    ManagedRunner(StreamDefinition def, AgentRuntime rt, ClusterView view, StateClient states) {
        this.def = def;
        this.rt = rt;
        this.view = view;
        this.states = states;
        this.thread = new Thread(this::run, "argus-managed-" + def.id());
        thread.setDaemon(true);
    }

    StreamDefinition definition() {
        return def;
    }

    boolean alive() {
        return thread.isAlive() || running;
    }

    void start() {
        thread.start();
    }

    void stop() {
        running = false;
        thread.interrupt();
        FrameSource s = source;
        if (s != null) {
            s.close();
        }
    }

    private void run() {
        // after a failover every millisecond counts: fetch the checkpoint while the source opens
        java.util.concurrent.CompletableFuture<Void> restored = rt.states().find(def.id()).isPresent()
                ? java.util.concurrent.CompletableFuture.completedFuture(null)
                : java.util.concurrent.CompletableFuture.runAsync(this::restore, r -> {
                    Thread t = new Thread(r, "argus-managed-restore-" + def.id());
                    t.setDaemon(true);
                    t.start();
                });
        long backoff = 1_000;
        while (running) {
            try (FrameSource s = Sources.open(def.source(), def.loop())) {
                source = s;
                try {
                    restored.join(); // the state must be staged before the first frame is processed
                } catch (java.util.concurrent.CompletionException e) {
                    log.warn("managed stream {}: checkpoint not restored, counting from zero", def.id(), e.getCause());
                }
                backoff = 1_000;
                pump(s);
                if (!def.loop() && !s.live()) {
                    log.info("managed stream {}: end of {}", def.id(), def.source());
                    break;
                }
            } catch (IOException e) {
                if (!running) {
                    break;
                }
                log.warn("managed stream {}: source failed ({}); retrying in {} ms", def.id(), e.getMessage(), backoff);
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException ie) {
                    break;
                }
                backoff = Math.min(30_000, backoff * 2);
            }
        }
        running = false;
    }

    private void restore() {
        states.fetch(def.id()).ifPresent(bundle -> {
            rt.states().acquire(def.id(), -1).stageImport(bundle);
            log.info("managed stream {}: continuing from the checkpoint of {}", def.id(), bundle.getAgentId());
        });
    }

    private void pump(FrameSource s) throws IOException {
        double fps = s.live() ? 0 : (s.frameRate() > 0 ? s.frameRate() : 10);
        long start = System.nanoTime();
        long n = 0;
        VideoFrame f;
        while (running && (f = s.next()) != null) {
            if (fps > 0) {
                long due = start + (long) (n * 1e9 / fps);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    try {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
            n++;
            submit(f);
        }
    }

    private void submit(VideoFrame f) {
        StreamConfig defaults = view.defaults().value();
        StreamConfig config = view.config(def.id()).value();
        FrameRequest.Builder req = FrameRequest.newBuilder().setStreamId(def.id()).setSequence(sequence++)
                .setSourceIndex(f.index()).setCaptureTimeUs(Envelopes.nowMicros())
                .setMediaTimeUs(s().live() ? 0 : f.timestampUs() + 1)
                .setConfigVersion(view.configVersion(def.id()))
                .setImage(Image.newBuilder().setEncoding(Encoding.RAW_BGR).setWidth(f.width()).setHeight(f.height())
                        .setData(UnsafeByteOperations.unsafeWrap(f.bgr())));
        for (StreamDefinition.TaskSpec t : def.tasks()) {
            req.addTasks(TaskRequest.newBuilder().setName(t.name())
                    .putAllParams(StreamConfig.merge(defaults, config, t.name(), t.params())));
        }
        FrameRequest request = req.build();
        long received = System.nanoTime();
        String refusal = rt.lanes().submit(def.id(), new LaneJob() {
            @Override
            public void run() {
                try {
                    FrameResult r = rt.pipeline().process(request, received,
                            (result, frame) -> rt.viewers().publish(def.id(), result, frame));
                    rt.recorder().record(r);
                } catch (Exception e) {
                    log.debug("managed stream {} frame {} failed: {}", def.id(), request.getSourceIndex(), e.toString());
                } finally {
                    rt.load().record();
                }
            }

            @Override
            public void abort(Code code, String reason) {
                dropped.incrementAndGet();
            }
        });
        if (refusal != null) {
            dropped.incrementAndGet();
            rt.metrics().rejected(Code.OVERLOADED, "managed-drop");
        }
    }

    private FrameSource s() {
        return source;
    }
}
