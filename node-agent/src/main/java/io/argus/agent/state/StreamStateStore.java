package io.argus.agent.state;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-stream state of this agent, keyed by stream id. A stream not seen for the idle timeout is
 * evicted and its native resources freed; if it comes back it starts fresh unless a state is
 * imported (the client or coordinator hands over the last exported state).
 */
public final class StreamStateStore implements AutoCloseable {
    private final Map<String, StreamState> states = new ConcurrentHashMap<>();
    private final Duration idleTimeout;

    public StreamStateStore(Duration idleTimeout) {
        this.idleTimeout = idleTimeout;
    }

    public StreamState acquire(String streamId, long sourceIndex) {
        StreamState s = states.computeIfAbsent(streamId, StreamState::new);
        s.touch(sourceIndex);
        return s;
    }

    public Optional<StreamState> find(String streamId) {
        return Optional.ofNullable(states.get(streamId));
    }

    public int size() {
        return states.size();
    }

    public List<StreamState> all() {
        return new ArrayList<>(states.values());
    }

    public void drop(String streamId) {
        StreamState s = states.remove(streamId);
        if (s != null) {
            s.disposeAll();
        }
    }

    /**
     * Forgets a stream whose job was given up as stuck, without freeing its state: the stuck
     * thread may still be using it (freeing native memory under it would crash the process). Its
     * native memory is left to the garbage collector. The stream starts again from nothing (a
     * stateful one must be reopened from its checkpoint).
     */
    public void abandon(String streamId) {
        states.remove(streamId);
    }

    /** Evicts streams idle longer than the timeout; returns how many went. */
    public int evictIdle() {
        long cutoff = System.nanoTime() - idleTimeout.toNanos();
        int n = 0;
        for (StreamState s : states.values()) {
            if (s.lastUsedNanos() < cutoff && states.remove(s.streamId(), s)) {
                s.disposeAll();
                n++;
            }
        }
        return n;
    }

    @Override
    public void close() {
        for (String id : new ArrayList<>(states.keySet())) {
            drop(id);
        }
    }
}
