package io.argus.client;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;

import static org.assertj.core.api.Assertions.assertThat;

class InOrderDeliveryTest {
    static StreamResult result(long i) {
        return new StreamResult("s", i, null, null, "", "a", 0, 0, 1, null);
    }

    @Test
    void resultsReachTheListenerInSubmissionOrderEachOnce() throws Exception {
        List<Long> seen = new ArrayList<>();
        Semaphore window = new Semaphore(0);
        InOrderDelivery d = new InOrderDelivery(r -> seen.add(r.sourceIndex()), window);
        d.complete(2, result(2));
        d.complete(1, result(1));
        assertThat(seen).isEmpty(); // frame 0 is still out
        assertThat(d.drain(() -> 3, Duration.ofMillis(10))).isFalse();
        d.complete(0, result(0));
        assertThat(seen).containsExactly(0L, 1L, 2L);
        assertThat(window.availablePermits()).isEqualTo(3);
        assertThat(d.drain(() -> 3, Duration.ofMillis(10))).isTrue();
    }
}
