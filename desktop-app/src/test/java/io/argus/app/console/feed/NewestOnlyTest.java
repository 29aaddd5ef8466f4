package io.argus.app.console.feed;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The hand-off that keeps preview decoding off the Netty thread: the offering thread never runs the
 * work and never waits, and while the worker is busy only the newest item waits for it.
 */
class NewestOnlyTest {
    @Test
    void theWorkRunsOnItsOwnThreadAndOnlyTheNewestWaitingItemIsProcessed() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<Integer> processed = new CopyOnWriteArrayList<>();
        List<String> threads = new CopyOnWriteArrayList<>();
        try (NewestOnly<Integer> hand = new NewestOnly<>("test-worker", i -> {
            threads.add(Thread.currentThread().getName());
            if (i == 0) {
                try {
                    release.await(10, TimeUnit.SECONDS); // a slow decode
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            processed.add(i);
        })) {
            hand.offer(0);
            await().atMost(5, TimeUnit.SECONDS).until(() -> threads.size() == 1); // the worker holds item 0
            for (int i = 1; i <= 100; i++) {
                hand.offer(i); // returns at once although the worker is busy
            }
            release.countDown();
            await().atMost(5, TimeUnit.SECONDS).until(() -> processed.contains(100));
            Thread.sleep(100); // nothing else is coming
            assertThat(processed).containsExactly(0, 100);
            assertThat(threads).containsOnly("test-worker").doesNotContain(Thread.currentThread().getName());
        }
    }

    @Test
    void afterCloseNothingIsProcessed() throws Exception {
        List<Integer> processed = new CopyOnWriteArrayList<>();
        NewestOnly<Integer> hand = new NewestOnly<>("test-closed", processed::add);
        hand.close();
        hand.offer(1);
        Thread.sleep(100);
        assertThat(processed).isEmpty();
    }
}
