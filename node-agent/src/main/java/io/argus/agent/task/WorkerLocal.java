package io.argus.agent.task;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A per-thread instance of something that must not be shared between threads (a Haar cascade, a
 * Tesseract engine, a HOG descriptor), created lazily on each worker and disposed of together at
 * shutdown, which a plain {@link ThreadLocal} cannot do.
 */
public final class WorkerLocal<T> implements AutoCloseable {
    private final Supplier<T> factory;
    private final Consumer<T> disposer;
    @SuppressWarnings("ThreadLocalUsage") // one per WorkerLocal: its own values per thread, released by close()
    private final ThreadLocal<T> local = new ThreadLocal<>();
    private final Set<T> all = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));

    public WorkerLocal(Supplier<T> factory, Consumer<T> disposer) {
        this.factory = factory;
        this.disposer = disposer;
    }

    public T get() {
        T t = local.get();
        if (t == null) {
            t = factory.get();
            local.set(t);
            all.add(t);
        }
        return t;
    }

    /**
     * Makes one instance on the calling thread and disposes of it at once: a start-up check that
     * the factory works (models load, language data is there), without leaving an instance on a
     * thread that never processes frames. An agent built its tasks on its main thread and kept that
     * thread's Tesseract engine and ONNX Runtime sessions for its whole life: N workers held N + 1 sets.
     */
    public void check() {
        disposer.accept(factory.get());
    }

    @Override
    public void close() {
        synchronized (all) {
            for (T t : all) {
                disposer.accept(t);
            }
            all.clear();
        }
    }
}
