package io.argus.agent.state;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.argus.agent.task.FrameRefused;
import io.argus.protocol.v1.Code;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-stream state of this agent, keyed by stream id. A stream not seen for the idle timeout is
 * evicted and its native resources freed; if it comes back it starts fresh unless a state is
 * imported (the client or coordinator hands over the last exported state).
 *
 * <p>Memory is bounded ({@code AgentConfig.maxStreamStateBytes}, {@code maxStateBytes}): each
 * stream's state is measured after each of its frames ({@link StreamState#measure}). A stream that
 * holds no state yet is admitted only while the total is under its bound; otherwise the least
 * recently used streams idle for at least {@code evictMinIdle} are evicted to make room, and if
 * that is not enough the frame is refused ({@link #admit}). Streams already holding state go on,
 * each within its own bound, so the total can pass its bound by at most what the frames admitted
 * together (one per worker) grow to before they are measured.
 */
public final class StreamStateStore implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StreamStateStore.class);

    private final Map<String, StreamState> states = new ConcurrentHashMap<>();
    private final Duration idleTimeout;
    private final long maxStreamBytes;
    private final long maxTotalBytes;
    private final long evictMinIdleNanos;
    private final AtomicLong evictedForMemory = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong overStreamBound = new AtomicLong();

    public StreamStateStore(Duration idleTimeout) {
        this(idleTimeout, Long.MAX_VALUE, Long.MAX_VALUE, Duration.ZERO);
    }

    /**
     * @param maxStreamBytes a stream whose state measures more is reset ({@code AgentConfig.maxStreamStateBytes})
     * @param maxTotalBytes  all streams' state ({@code AgentConfig.maxStateBytes})
     * @param evictMinIdle   only streams idle this long may be evicted to make room ({@code AgentConfig.stateEvictMinIdle})
     */
    public StreamStateStore(Duration idleTimeout, long maxStreamBytes, long maxTotalBytes, Duration evictMinIdle) {
        this.idleTimeout = idleTimeout;
        this.maxStreamBytes = maxStreamBytes;
        this.maxTotalBytes = maxTotalBytes;
        this.evictMinIdleNanos = evictMinIdle.toNanos();
    }

    public long maxStreamBytes() {
        return maxStreamBytes;
    }

    public long maxTotalBytes() {
        return maxTotalBytes;
    }

    /** Bytes of state all streams held after their last frames. */
    public long totalBytes() {
        long n = 0;
        for (StreamState s : states.values()) {
            n += s.bytes();
        }
        return n;
    }

    /** Streams evicted to make room for another (not for being idle past the timeout). */
    public long evictedForMemory() {
        return evictedForMemory.get();
    }

    /** Frames refused because the state memory was full. */
    public long refused() {
        return refused.get();
    }

    /** Times a stream's state was reset for growing over its own bound. */
    public long overStreamBound() {
        return overStreamBound.get();
    }

    /**
     * Admits a frame of a stateful stream, or refuses it (nothing applied, so a sequenced stream
     * still waits for it) when the stream holds no state yet, the total is at its bound, and no
     * stream has been idle long enough to be evicted.
     */
    public void admit(String streamId) throws FrameRefused {
        StreamState own = states.get(streamId);
        if (own != null && own.bytes() > 0) {
            return; // its growth is bounded by its own limit
        }
        if (totalBytes() < maxTotalBytes) {
            return;
        }
        makeRoom(streamId);
        long total = totalBytes();
        if (total >= maxTotalBytes) {
            refused.incrementAndGet();
            throw new FrameRefused(Code.OVERLOADED, "agent state memory full: streams hold " + total
                    + " bytes of state, the limit is " + maxTotalBytes + " (AgentConfig.maxStateBytes), and no stream has been idle "
                    + evictMinIdleNanos / 1_000_000 + " ms (stateEvictMinIdle) to make room; send the stream to another agent or later");
        }
    }

    /**
     * After a frame: measures the stream's state; over its own bound, the state is dropped (the
     * stream keeps its place in the sequence and starts afresh) and true is returned. Over the
     * total, idle streams are evicted to make room.
     */
    public boolean settle(StreamState s) {
        long b = s.measure();
        boolean over = b > maxStreamBytes;
        if (over) {
            overStreamBound.incrementAndGet();
            log.warn("stream {}: state of {} bytes over the per-stream limit of {} (maxStreamStateBytes): dropped",
                    s.streamId(), b, maxStreamBytes);
            s.dropTaskState();
        }
        if (totalBytes() > maxTotalBytes) {
            makeRoom(s.streamId());
        }
        return over;
    }

    /** Evicts the least recently used streams idle long enough, until the total is under its bound. */
    private synchronized void makeRoom(String except) {
        long cutoff = System.nanoTime() - evictMinIdleNanos;
        List<StreamState> idle = new ArrayList<>();
        for (StreamState s : states.values()) {
            if (!s.streamId().equals(except) && s.bytes() > 0 && s.lastUsedNanos() - cutoff <= 0) {
                idle.add(s);
            }
        }
        idle.sort(Comparator.comparingLong(StreamState::lastUsedNanos));
        for (StreamState s : idle) {
            if (totalBytes() < maxTotalBytes) {
                return;
            }
            if (states.remove(s.streamId(), s)) {
                long b = s.bytes();
                s.disposeAll();
                evictedForMemory.incrementAndGet();
                log.info("evicted the state of stream {} ({} bytes, least recently used) to make room (maxStateBytes {})",
                        s.streamId(), b, maxTotalBytes);
            }
        }
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
    @SuppressWarnings("ModifyCollectionInEnhancedForLoop") // a ConcurrentHashMap: its iteration allows removal
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
