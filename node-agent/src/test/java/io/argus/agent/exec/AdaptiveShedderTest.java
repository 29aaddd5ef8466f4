package io.argus.agent.exec;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The shedder on a fake clock and a fake CPU reading: overload cannot be produced on demand otherwise. */
class AdaptiveShedderTest {
    final AtomicLong now = new AtomicLong(TimeUnit.SECONDS.toNanos(100));
    double cpu = 0.5;
    final AdaptiveShedder shedder = new AdaptiveShedder(0.9, () -> cpu, now::get);

    void advanceMs(long ms) {
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(ms));
    }

    /** Two seconds of one frame at a time, 10 ms each: capacity 10 per 100 ms x 10 ms = 1 in flight. */
    void steadyState() {
        for (int i = 0; i < 200; i++) {
            AdaptiveShedder.Ticket t = shedder.allow();
            assertThat(t).isNotNull();
            advanceMs(10);
            t.pass();
        }
        assertThat(shedder.allowedInFlight()).isCloseTo(1.0, Offset.offset(0.01));
    }

    List<AdaptiveShedder.Ticket> flood(int n) {
        List<AdaptiveShedder.Ticket> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            AdaptiveShedder.Ticket t = shedder.allow();
            if (t != null) {
                out.add(t);
            }
        }
        return out;
    }

    @Test
    void aBusyMachineThatKeepsUpIsNeverShed() {
        steadyState();
        cpu = 1.0;
        for (int i = 0; i < 100; i++) {
            AdaptiveShedder.Ticket t = shedder.allow();
            assertThat(t).as("one frame at a time fits the measured capacity").isNotNull();
            advanceMs(10);
            t.pass();
        }
        assertThat(shedder.hot()).isFalse();
    }

    @Test
    void aDeepQueueOnAnIdleMachineIsNotShed() {
        steadyState();
        List<AdaptiveShedder.Ticket> flying = flood(30);
        assertThat(flying).hasSize(30);
        for (AdaptiveShedder.Ticket t : flying.subList(0, 10)) {
            advanceMs(10);
            t.pass();
        }
        assertThat(flood(10)).as("CPU below threshold: in flight alone never sheds").hasSize(10);
    }

    @Test
    void overloadShedsThenCoolsOffAfterOneSecond() {
        steadyState();
        cpu = 0.95;
        List<AdaptiveShedder.Ticket> flying = flood(20);
        assertThat(flying).as("the smoothed in-flight figure has not caught up yet").hasSize(20);
        for (AdaptiveShedder.Ticket t : flying.subList(0, 5)) {
            advanceMs(10);
            t.pass();
        }
        assertThat(shedder.allow()).as("cpu 95% and 15 in flight over a capacity of 0.5").isNull();
        assertThat(shedder.hot()).isTrue();
        assertThat(shedder.describe()).contains("cpu 95%").contains("15 frames in flight");

        cpu = 0.5; // CPU recovers, but the shed was recent: still hot, still over capacity
        assertThat(shedder.allow()).isNull();
        advanceMs(1_100);
        assertThat(shedder.hot()).isFalse();
        AdaptiveShedder.Ticket t = shedder.allow();
        assertThat(t).as("cooled off with CPU below threshold").isNotNull();
        t.fail();
        flying.subList(5, 20).forEach(AdaptiveShedder.Ticket::fail);
        assertThat(shedder.inFlight()).isZero();
    }

    @Test
    void aTicketCountsOnceAndThresholdZeroDisables() {
        AdaptiveShedder.Ticket t = shedder.allow();
        t.pass();
        t.fail();
        assertThat(shedder.inFlight()).isZero();

        AdaptiveShedder off = new AdaptiveShedder(0, () -> 1.0, now::get);
        List<AdaptiveShedder.Ticket> many = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            many.add(off.allow());
            if (i % 5 == 0) {
                advanceMs(10);
                many.get(i / 2).pass();
            }
        }
        assertThat(many).doesNotContainNull();
    }
}
