package io.argus.agent.exec;

import io.argus.protocol.v1.Code;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Runs jobs on a fixed worker pool so that jobs with the same key (a stream) run one at a time in
 * submission order, and jobs of different keys run in parallel.
 *
 * <p>Each key has a lane (a FIFO). A lane with work has exactly one runnable on the pool at a time;
 * after each job the lane goes to the back of the pool's queue, so a busy stream cannot starve the
 * others. Bounds: a lane holds at most {@code maxPerLane} jobs, and at most {@code maxLanes} lanes
 * exist; beyond either, {@link #submit} refuses and the caller answers {@code OVERLOADED}. The
 * pool's own queue therefore never holds more than {@code maxLanes} runnables.
 *
 * <p>One class, a little over 300 lines, on purpose: submitting, running a lane and giving a stuck
 * worker up ({@link #abandonStuck}, with the pool's growth and shrinking) all change a lane only
 * under its bin lock of {@link #lanes} and the pool's monitor, and that protocol must be read in one
 * place to be checked.
 */
public final class StreamLanes implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StreamLanes.class);

    private final ThreadPoolExecutor pool;
    private final ConcurrentHashMap<String, Lane> lanes = new ConcurrentHashMap<>();
    private final int maxPerLane;
    private final int maxLanes;
    private final AtomicInteger queued = new AtomicInteger();
    private final int workers;
    /** Workers given up as stuck whose threads have not come back yet. */
    private final AtomicInteger stuckAlive = new AtomicInteger();
    /** Threads added to the pool in place of stuck ones that are still alive. */
    private int replacements; // guarded by pool

    /** A job on a worker, for the watchdog. */
    private static final class Running {
        final LaneJob job;
        final Thread thread;
        final long startNanos = System.nanoTime();
        boolean abandoned; // guarded by the map's bin lock of its lane
        boolean replaced; // guarded by the map's bin lock of its lane

        Running(LaneJob job, Thread thread) {
            this.job = job;
            this.thread = thread;
        }
    }

    /** What the watchdog gave up on: the stream, how long its job had run, whether a fresh worker took its place. */
    public record Abandoned(String key, long runningMs, boolean replaced) {
    }

    public StreamLanes(int workers, int maxLanes, int maxPerLane, String threadPrefix) {
        this.maxPerLane = maxPerLane;
        this.maxLanes = maxLanes;
        this.workers = workers;
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

    /** Workers given up as stuck that have not returned (their threads still exist). */
    public int stuckAlive() {
        return stuckAlive.get();
    }

    /** Threads of the pool now: the configured workers plus replacements of stuck ones. */
    public int poolSize() {
        return pool.getMaximumPoolSize();
    }

    /**
     * Gives up every job that has run longer than {@code olderThanNanos}: the job is answered
     * with {@code TIMEOUT} ({@link LaneJob#abandon}), its thread interrupted (Java code stops at
     * its next check; native code does not notice) and left to finish or hang on its own, and its
     * lane goes on without it on the other workers. While fewer than {@code maxReplacements}
     * stuck threads are alive, a fresh thread is added to the pool in its place, so the agent
     * keeps its capacity; it is removed again when the stuck thread comes back.
     *
     * @param forget told the key of each job given up before the jobs behind it run (the agent
     *               forgets the stream's state, which the stuck thread may still change)
     */
    public List<Abandoned> abandonStuck(long olderThanNanos, int maxReplacements,
                                                  Consumer<String> forget) {
        List<Abandoned> out = new ArrayList<>();
        long now = System.nanoTime();
        for (Lane lane : lanes.values()) {
            Running r = lane.current;
            if (r == null || now - r.startNanos <= olderThanNanos) {
                continue;
            }
            boolean[] given = new boolean[1];
            Lane[] fresh = new Lane[1];
            lanes.compute(lane.key, (k, l) -> {
                if (l != lane || lane.current != r || r.abandoned) {
                    return l; // it finished meanwhile
                }
                r.abandoned = true;
                given[0] = true;
                lane.current = null;
                // the jobs behind it go on in a lane of their own; the stuck one keeps the old
                // lane object, which it will find abandoned if it ever returns
                Lane next = new Lane(k);
                lane.jobs.poll();
                next.jobs.addAll(lane.jobs);
                lane.jobs.clear();
                if (next.jobs.isEmpty()) {
                    return null;
                }
                next.scheduled = true;
                fresh[0] = next;
                return next;
            });
            if (!given[0]) {
                continue;
            }
            queued.decrementAndGet();
            long ranMs = (now - r.startNanos) / 1_000_000;
            boolean replaced = false;
            synchronized (pool) {
                if (stuckAlive.get() < maxReplacements) {
                    replacements++;
                    pool.setMaximumPoolSize(workers + replacements);
                    pool.setCorePoolSize(workers + replacements);
                    pool.prestartCoreThread();
                    replaced = true;
                }
                r.replaced = replaced;
                stuckAlive.incrementAndGet();
            }
            r.thread.interrupt();
            try {
                r.job.abandon(Code.TIMEOUT, "the worker was still busy on this job after " + ranMs
                        + " ms, past the task budget and the stuck-worker grace (AgentConfig.taskBudgetMs,"
                        + " stuckWorkerGraceMs); it was given up, and nothing it does now is answered or kept");
            } catch (RuntimeException e) {
                log.error("answering the stuck job of lane {} failed", lane.key, e);
            }
            try {
                forget.accept(lane.key);
            } catch (RuntimeException e) {
                log.error("forgetting the state of lane {} failed", lane.key, e);
            }
            if (fresh[0] != null) {
                execute(fresh[0]);
            }
            out.add(new Abandoned(lane.key, ranMs, replaced));
        }
        return out;
    }

    /** A stuck thread came back: the pool shrinks to what it was before it was replaced. */
    private void returned(Running r) {
        synchronized (pool) {
            if (r.replaced) {
                replacements--;
                pool.setCorePoolSize(workers + replacements);
                pool.setMaximumPoolSize(workers + replacements);
            }
            // last, so that whoever sees no stuck worker left (health, tests) also sees the pool shrunk back
            stuckAlive.decrementAndGet();
        }
        log.warn("a worker given up as stuck came back after {} ms", (System.nanoTime() - r.startNanos) / 1_000_000);
    }

    /** Returns null when accepted, otherwise why not (the job was not run and will not be). */
    public @Nullable String submit(String key, LaneJob job) {
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
        /** The job a worker runs now; set and cleared under the bin lock. */
        private volatile @Nullable Running current;

        Lane(String key) {
            this.key = key;
        }

        @Override
        public void run() {
            LaneJob[] next = new LaneJob[1];
            Running[] running = new Running[1];
            lanes.computeIfPresent(key, (k, l) -> {
                if (l != this) {
                    return l;
                }
                // peek, not poll: the running frame keeps its place so the per-stream bound
                // counts it and does not depend on how fast a worker picks the lane up
                next[0] = l.jobs.peek();
                if (next[0] != null) {
                    running[0] = new Running(next[0], Thread.currentThread());
                    current = running[0];
                }
                return l;
            });
            if (next[0] != null) {
                try {
                    next[0].run();
                } catch (Throwable t) {
                    log.error("job on lane {} threw", key, t);
                }
            }
            boolean[] more = new boolean[1];
            boolean[] abandoned = new boolean[1];
            lanes.compute(key, (k, l) -> {
                if (running[0] != null && running[0].abandoned) {
                    abandoned[0] = true; // the watchdog gave this job up and the lane went on without it
                    return l;
                }
                if (l != this) {
                    return l;
                }
                current = null;
                if (next[0] != null) {
                    l.jobs.poll();
                    queued.decrementAndGet();
                }
                if (l.jobs.isEmpty()) {
                    l.scheduled = false;
                    return null;
                }
                more[0] = true;
                return l;
            });
            if (abandoned[0]) {
                returned(running[0]);
                return;
            }
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
