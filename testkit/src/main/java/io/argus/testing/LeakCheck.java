package io.argus.testing;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Makes Netty's leak detector fail tests. Netty reports a leaked {@code ByteBuf} by logging an
 * ERROR from {@code io.netty.util.ResourceLeakDetector} when a later allocation finds the leaked
 * buffer collected. This appender (wired in logback-test.xml) records those reports, and
 * {@link #assertNoLeaks()} forces collection and allocation so that pending reports surface.
 * Tests run with {@code -Dio.netty.leakDetection.level=paranoid}, so every buffer is tracked.
 */
public final class LeakCheck extends AppenderBase<ILoggingEvent> {
    private static final List<String> REPORTS = new CopyOnWriteArrayList<>();

    @Override
    protected void append(ILoggingEvent event) {
        if (event.getFormattedMessage().contains("LEAK")) {
            REPORTS.add(event.getFormattedMessage());
        }
    }

    public static void reset() {
        REPORTS.clear();
    }

    public static List<String> reports() {
        return new ArrayList<>(REPORTS);
    }

    /** Collects garbage and allocates until any leak detected so far has been reported, then asserts none was. */
    public static void assertNoLeaks() {
        for (int round = 0; round < 5; round++) {
            System.gc();
            System.runFinalization();
            for (int i = 0; i < 200; i++) {
                ByteBuf a = PooledByteBufAllocator.DEFAULT.buffer(64);
                ByteBuf b = UnpooledByteBufAllocator.DEFAULT.heapBuffer(64);
                ByteBuf c = UnpooledByteBufAllocator.DEFAULT.directBuffer(64);
                a.release();
                b.release();
                c.release();
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        List<String> leaks = reports();
        if (!leaks.isEmpty()) {
            throw new AssertionError(leaks.size() + " ByteBuf leak(s) reported:\n" + leaks.get(0));
        }
    }
}
