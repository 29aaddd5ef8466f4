package io.argus.agent.exec;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The CPU figure an agent publishes, with two agents in one process as in the demo. */
class LoadMeterTest {
    @Test
    void twoMetersInOneProcessEachSeeTheProcesssCpu() throws Exception {
        LoadMeter a = new LoadMeter();
        LoadMeter b = new LoadMeter();
        assertThat(a.cpu()).isEqualTo(-1); // nothing measured yet
        AtomicBoolean spin = new AtomicBoolean(true);
        AtomicLong sink = new AtomicLong();
        Thread burner = new Thread(() -> {
            long x = 1;
            while (spin.get()) {
                x = x * 6364136223846793005L + 1442695040888963407L;
            }
            sink.set(x);
        }, "burner");
        burner.start();
        try {
            // b samples right after a, as two agents' schedulers in one JVM can: a meter that measured
            // "since anyone's previous call" read almost no time and said 0
            for (int i = 0; i < 40; i++) {
                a.sampleCpu();
                b.sampleCpu();
                Thread.sleep(50);
            }
            // and the two agents publish their figures a few milliseconds apart: JDK's
            // getProcessCpuLoad() then read 0.0, 0.5 or 1.0 for the second (measured: 3 ms apart)
            for (int i = 0; i < 5; i++) {
                a.sampleCpu();
                b.sampleCpu();
                double first = a.cpu();
                Thread.sleep(3);
                double second = b.cpu();
                // one thread spinning is half the machine on 2 cores (all of it on 1); at least a
                // tenth whatever else runs here, and short of all of it
                assertThat(first).as("first reader").isBetween(0.1, 0.95);
                assertThat(second).as("second reader").isBetween(0.1, 0.95);
                Thread.sleep(200);
            }
        } finally {
            spin.set(false);
            burner.join();
        }
    }
}
