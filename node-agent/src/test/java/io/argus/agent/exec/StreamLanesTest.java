package io.argus.agent.exec;

import io.argus.protocol.v1.Code;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class StreamLanesTest {

    static LaneJob job(Runnable r) {
        return new LaneJob() {
            @Override
            public void run() {
                r.run();
            }

            @Override
            public void abort(Code code, String reason) {
            }
        };
    }

    @Test
    void jobsOfOneKeyRunInOrderAndNeverConcurrently() throws Exception {
        try (StreamLanes lanes = new StreamLanes(4, 16, 1000, "t")) {
            Map<String, List<Integer>> seen = new ConcurrentHashMap<>();
            Map<String, AtomicInteger> running = new ConcurrentHashMap<>();
            AtomicInteger overlaps = new AtomicInteger();
            CountDownLatch done = new CountDownLatch(4 * 200);
            for (int i = 0; i < 200; i++) {
                for (String k : List.of("a", "b", "c", "d")) {
                    int n = i;
                    assertThat(lanes.submit(k, job(() -> {
                        if (running.computeIfAbsent(k, x -> new AtomicInteger()).incrementAndGet() > 1) {
                            overlaps.incrementAndGet();
                        }
                        seen.computeIfAbsent(k, x -> new CopyOnWriteArrayList<>()).add(n);
                        running.get(k).decrementAndGet();
                        done.countDown();
                    }))).isNull();
                }
            }
            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(overlaps).hasValue(0);
            for (List<Integer> l : seen.values()) {
                assertThat(l).hasSize(200).isSorted();
            }
            // the last job counts the latch down from inside run(); its lane's bookkeeping follows
            // a moment later on the worker, so wait for it (a bounded wait, not a sleep)
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while ((lanes.queued() != 0 || lanes.lanes() != 0) && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(lanes.queued()).isZero();
            assertThat(lanes.lanes()).isZero();
        }
    }

    @Test
    void differentKeysRunInParallel() throws Exception {
        try (StreamLanes lanes = new StreamLanes(2, 16, 10, "t")) {
            CountDownLatch both = new CountDownLatch(2);
            CountDownLatch release = new CountDownLatch(1);
            for (String k : List.of("x", "y")) {
                lanes.submit(k, job(() -> {
                    both.countDown();
                    try {
                        release.await(5, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }));
            }
            assertThat(both.await(5, TimeUnit.SECONDS)).as("both lanes running at once").isTrue();
            release.countDown();
        }
    }

    @Test
    void boundsAreEnforced() throws Exception {
        try (StreamLanes lanes = new StreamLanes(1, 2, 3, "t")) {
            CountDownLatch release = new CountDownLatch(1);
            Runnable block = () -> {
                try {
                    release.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            };
            assertThat(lanes.submit("a", job(block))).isNull();
            assertThat(lanes.submit("a", job(block))).isNull();
            assertThat(lanes.submit("a", job(block))).isNull();
            assertThat(lanes.submit("a", job(block))).contains("queue full");
            assertThat(lanes.submit("b", job(block))).isNull();
            assertThat(lanes.submit("c", job(block))).contains("too many active streams");
            release.countDown();
        }
    }
}
