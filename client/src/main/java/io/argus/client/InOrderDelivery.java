package io.argus.client;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.TreeMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Hands results to the listener in submission order, each exactly once, whatever order they
 * complete in, and frees the frame's place in the submit window as it goes. {@link #complete} is
 * called on the control thread; {@link #drain} from any.
 */
final class InOrderDelivery {
    private static final Logger log = LoggerFactory.getLogger(InOrderDelivery.class);

    private final ResultListener listener;
    private final Semaphore window;
    private final TreeMap<Long, StreamResult> ready = new TreeMap<>();
    private final AtomicLong delivered = new AtomicLong();
    private long next;

    InOrderDelivery(ResultListener listener, Semaphore window) {
        this.listener = listener;
        this.window = window;
    }

    /** The result of frame {@code seq}; it and every completed frame after it without a hole are delivered. */
    void complete(long seq, StreamResult result) {
        ready.put(seq, result);
        while (!ready.isEmpty() && ready.firstKey() == next) {
            StreamResult out = ready.pollFirstEntry().getValue();
            next++;
            try {
                listener.onResult(out);
            } catch (RuntimeException e) {
                log.error("result listener failed on {}#{}", out.streamId(), out.sourceIndex(), e);
            }
            window.release();
            synchronized (delivered) {
                delivered.incrementAndGet();
                delivered.notifyAll();
            }
        }
    }

    long delivered() {
        return delivered.get();
    }

    /** Waits until {@code submitted} frames are delivered, up to the timeout. */
    boolean drain(LongSupplier submitted, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (delivered) {
            while (delivered.get() < submitted.getAsLong()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(delivered, left);
            }
        }
        return true;
    }
}
