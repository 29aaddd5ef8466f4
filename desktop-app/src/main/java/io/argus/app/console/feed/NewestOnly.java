package io.argus.app.console.feed;

import org.jspecify.annotations.Nullable;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Hands items from a thread that must not wait (a Netty event loop) to one thread of its own that
 * processes them, keeping only the newest item waiting: an item that a newer one replaces before it
 * is taken is dropped, never processed. For previews: a picture nobody will see is not worth
 * decoding, and a slow consumer must never queue them up.
 */
final class NewestOnly<T> implements AutoCloseable {
    private final AtomicReference<@Nullable T> waiting = new AtomicReference<>();
    private final ExecutorService worker;
    private final Consumer<T> process;

    NewestOnly(String threadName, Consumer<T> process) {
        this.process = process;
        this.worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
    }

    /** Never blocks: replaces the item waiting, if any, and wakes the worker if none was. */
    void offer(T item) {
        if (waiting.getAndSet(item) == null) {
            try {
                worker.execute(this::drain);
            } catch (RejectedExecutionException closed) {
                waiting.set(null); // closed: nothing more is processed
            }
        }
    }

    private void drain() {
        T item;
        while ((item = waiting.getAndSet(null)) != null) {
            process.accept(item);
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
