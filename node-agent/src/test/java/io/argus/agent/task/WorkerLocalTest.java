package io.argus.agent.task;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One instance per thread, disposed of together; the start-up check keeps none. */
class WorkerLocalTest {
    @Test
    void theStartUpCheckKeepsNoInstanceAndEachWorkerGetsItsOwn() throws Exception {
        AtomicInteger made = new AtomicInteger();
        List<Integer> disposed = new ArrayList<>();
        WorkerLocal<Integer> local = new WorkerLocal<>(made::incrementAndGet, i -> {
            synchronized (disposed) {
                disposed.add(i);
            }
        });
        local.check();
        assertThat(disposed).containsExactly(1); // made and released on the calling thread
        assertThat(local.get()).isEqualTo(2).isEqualTo(local.get()); // the caller's own, kept
        int[] other = new int[1];
        Thread t = new Thread(() -> other[0] = local.get());
        t.start();
        t.join();
        assertThat(other[0]).isEqualTo(3);
        local.close();
        assertThat(disposed).containsExactlyInAnyOrder(1, 2, 3);
    }

    @Test
    void aFactoryThatFailsFailsTheCheck() {
        WorkerLocal<Object> local = new WorkerLocal<>(() -> {
            throw new IllegalStateException("no language data");
        }, o -> {
        });
        assertThatThrownBy(local::check).hasMessage("no language data");
    }
}
