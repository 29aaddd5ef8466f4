package io.argus.agent.exec;

import io.argus.protocol.v1.Code;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs jobs on a fixed worker pool so that jobs with the same key (a stream) run one at a time in
 * submission order, and jobs of different keys run in parallel.
 *
 * <p>Each key has a lane (a FIFO). A lane with work has exactly one runnable on the pool at a time;
 * after each job the lane goes to the back of the pool's queue, so a busy stream cannot starve the
 * others. Bounds: a lane holds at most {@code maxPerLane} jobs, and at most {@code maxLanes} lanes
 * exist; beyond either, {@link #submit} refuses and the caller answers {@code OVERLOADED}. The
 * pool's own queue therefore never holds more than {@code maxLanes} runnables.
 */
public final class StreamLanes implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StreamLanes.class);

    private final ThreadPoolExecutor pool;
    private final ConcurrentHashMap<String, Lane> lanes = new ConcurrentHashMap<>();
    private final int maxPerLane;
    private final int maxLanes;
    private final AtomicInteger queued = new AtomicInteger();

    public StreamLanes(int workers, int maxLanes, int maxPerLane, String threadPrefix) {
        this.maxPerLane = maxPerLane;
        this.maxLanes = maxLanes;
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(workers, workers, 0, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(maxLanes + workers), r -> {
            Thread t = new Thread(r, threadPrefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Jobs waiting or running, over all lanes. */
    public int queued() {
        return queued.get();
    }

    public int lanes() {
        return lanes.size();
    }

    /** Returns null when accepted, otherwise why not (the job was not run and will not be). */
    public String submit(String key, LaneJob job) {
        if (pool.isShutdown()) {
            return "shutting down";
        }
        String[] refusal = new String[1];
        boolean[] schedule = new boolean[1];
        Lane lane = lanes.compute(key, (k, l) -> {
            if (l == null) {
                if (lanes.size() >= maxLanes) {
                    refusal[0] = "too many active streams (" + maxLanes + ")";
                    return null;
                }
                l = new Lane(k);
            }
            if (l.jobs.size() >= maxPerLane) {
                refusal[0] = "stream queue full (" + maxPerLane + " frames)";
                return l;
            }
            l.jobs.add(job);
            queued.incrementAndGet();
            if (!l.scheduled) {
                l.scheduled = true;
                schedule[0] = true;
            }
            return l;
        });
        if (refusal[0] != null) {
            return refusal[0];
        }
        if (schedule[0]) {
            execute(lane);
        }
        return null;
    }

    private void execute(Lane lane) {
        try {
            pool.execute(lane);
        } catch (RejectedExecutionException e) {
            // only at shutdown (the queue is sized for every lane): fail what the lane holds
            lanes.computeIfPresent(lane.key, (k, l) -> {
                LaneJob j;
                while ((j = l.jobs.poll()) != null) {
                    queued.decrementAndGet();
                    j.abort(Code.UNAVAILABLE, "agent is shutting down");
                }
                l.scheduled = false;
                return null;
            });
        }
    }

    private final class Lane implements Runnable {
        private final String key;
        // guarded by the map's bin lock: touched only inside lanes.compute*
        private final ArrayDeque<LaneJob> jobs = new ArrayDeque<>();
        private boolean scheduled;

        Lane(String key) {
            this.key = key;
        }

        @Override
        public void run() {
            LaneJob[] next = new LaneJob[1];
            lanes.computeIfPresent(key, (k, l) -> {
                // peek, not poll: the running frame keeps its place so the per-stream bound
                // counts it and does not depend on how fast a worker picks the lane up
                next[0] = l.jobs.peek();
                return l;
            });
            if (next[0] != null) {
                try {
                    next[0].run();
                } catch (Throwable t) {
                    log.error("job on lane {} threw", key, t);
                } finally {
                    queued.decrementAndGet();
                }
            }
            boolean[] more = new boolean[1];
            lanes.computeIfPresent(key, (k, l) -> {
                if (next[0] != null) {
                    l.jobs.poll();
                }
                if (l.jobs.isEmpty()) {
                    l.scheduled = false;
                    return null;
                }
                more[0] = true;
                return l;
            });
            if (more[0]) {
                execute(this);
            }
        }
    }

    /** Stops taking work and waits up to the grace period for queued work to finish. */
    public boolean shutdown(long graceMillis) throws InterruptedException {
        pool.shutdown();
        return pool.awaitTermination(graceMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }

    /** After {@link #close()}: true once no worker runs any more (waits at most {@code millis}). */
    public boolean awaitTermination(long millis) throws InterruptedException {
        return pool.awaitTermination(millis, TimeUnit.MILLISECONDS);
    }
}
