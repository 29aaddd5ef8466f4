package io.argus.coordinator.http;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The per-client limiters: the allowance holds per key, and the registry stays bounded and forgets idle keys. */
class RateLimitsTest {
    @Test
    void aClientGetsItsAllowanceAndNoMore() {
        RateLimits r = new RateLimits(5, 100, 60_000);
        int allowed = 0;
        for (int i = 0; i < 50; i++) {
            allowed += r.tryAcquire("addr:10.0.0.1") ? 1 : 0;
        }
        // 5 per second; a refresh may fall inside the loop on a slow machine, hence the margin
        assertThat(allowed).isBetween(5, 10);
        assertThat(r.tryAcquire("addr:10.0.0.2")).as("another client has its own allowance").isTrue();
    }

    @Test
    void theRegistryIsBoundedWhateverTheNumberOfKeys() {
        RateLimits r = new RateLimits(50, 1_000, 60_000);
        for (int i = 0; i < 100_000; i++) {
            r.tryAcquire("addr:" + i);
        }
        assertThat(r.size()).isEqualTo(1_000);
        // the most recent clients are the ones kept: the last one is still limited, not fresh
        for (int i = 0; i < 49; i++) {
            r.tryAcquire("addr:99999");
        }
        assertThat(r.tryAcquire("addr:99999")).isFalse();
    }

    @Test
    void idleClientsAreForgotten() {
        AtomicLong now = new AtomicLong();
        RateLimits r = new RateLimits(1, 1_000, 60_000, now::get);
        for (int i = 0; i < 10; i++) {
            r.tryAcquire("addr:" + i);
        }
        now.addAndGet(30_000_000_000L);
        r.tryAcquire("addr:0"); // used again: kept
        assertThat(r.size()).isEqualTo(10);
        now.addAndGet(31_000_000_000L);
        assertThat(r.size()).as("only the one used 31 s ago is left").isEqualTo(1);
        now.addAndGet(60_000_000_000L);
        assertThat(r.size()).isZero();
    }

    @Test
    void nonsenseSettingsAreRefused() {
        assertThatThrownBy(() -> new RateLimits(0, 10, 1000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RateLimits(Double.NaN, 10, 1000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RateLimits(1, 0, 1000)).isInstanceOf(IllegalArgumentException.class);
    }
}
