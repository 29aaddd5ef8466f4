package io.argus.protocol.codec;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledHeapByteBuf;
import org.jspecify.annotations.Nullable;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Heap buffers for large frames (raw video frames are 0.9 MB at 640x480), whose arrays are kept
 * and reused when the buffers are released, instead of Netty's pooled arenas.
 *
 * <p>Why not the pool: with frames a quarter of the pool's 4 MiB chunk, a chunk fills with four
 * frames, empties as they are answered, is destroyed, and is allocated again for the next four:
 * a new zeroed 4 MiB array (a humongous object for G1) every four frames. That was 76% of the
 * agent's allocation on the raw-frame path (BENCHMARKS.md). Here an array, once allocated, goes
 * back and forth between the socket and the workers.
 *
 * <p>Capacities are rounded up to {@link #GRANULE} bytes so that frames of one camera, which
 * vary a little in size when encoded, share arrays; the buffer's readable bytes are the frame's,
 * its capacity may be larger. At most {@code maxCachedBytes} of idle arrays are kept (default
 * {@link #DEFAULT_MAX_CACHED_BYTES}); beyond that a released array is left to the garbage collector.
 * Buffers are tracked by Netty's leak detector like any other allocator's.
 */
public final class FrameBuffers extends AbstractByteBufAllocator {
    /** Capacities are multiples of this. */
    public static final int GRANULE = 64 * 1024;
    /** Idle arrays kept for reuse, in bytes, unless {@code -Dargus.frameBuffers.maxCachedBytes} says otherwise. */
    public static final long DEFAULT_MAX_CACHED_BYTES = 64L * 1024 * 1024;
    /** The process's frame buffers: every connection's decoder shares them. */
    public static final FrameBuffers SHARED = new FrameBuffers(
            Long.getLong("argus.frameBuffers.maxCachedBytes", DEFAULT_MAX_CACHED_BYTES));

    private final long maxCachedBytes;
    private final Map<Integer, ArrayDeque<byte[]>> idle = new HashMap<>();
    private long cachedBytes;
    private long allocated;
    private long reused;

    public FrameBuffers(long maxCachedBytes) {
        super(false);
        this.maxCachedBytes = maxCachedBytes;
    }

    /** A heap buffer that can hold {@code bytes} (its capacity rounded up to {@link #GRANULE}). */
    public ByteBuf frame(int bytes) {
        int capacity = roundUp(bytes);
        return heapBuffer(capacity, capacity);
    }

    static int roundUp(int bytes) {
        long c = ((long) Math.max(1, bytes) + GRANULE - 1) / GRANULE * GRANULE;
        return (int) Math.min(c, Integer.MAX_VALUE - 8);
    }

    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
        return new RecycledHeapBuf(this, initialCapacity, maxCapacity);
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
        throw new UnsupportedOperationException("frame buffers are heap buffers (protobuf parses arrays without copying)");
    }

    @Override
    public boolean isDirectBufferPooled() {
        return false;
    }

    synchronized byte @Nullable [] take(int capacity) {
        ArrayDeque<byte[]> q = idle.get(capacity);
        byte[] a = q == null ? null : q.pollFirst();
        if (a != null) {
            cachedBytes -= a.length;
            reused++;
            return a;
        }
        allocated++;
        return null;
    }

    synchronized boolean give(byte[] array) {
        if (cachedBytes + array.length > maxCachedBytes) {
            return false;
        }
        idle.computeIfAbsent(array.length, k -> new ArrayDeque<>()).addFirst(array);
        cachedBytes += array.length;
        return true;
    }

    /** Idle arrays held for reuse, in bytes. */
    public synchronized long cachedBytes() {
        return cachedBytes;
    }

    /** Arrays allocated because none was idle, and buffers served from an idle one. */
    public synchronized long[] allocatedAndReused() {
        return new long[]{allocated, reused};
    }

    /** A heap buffer whose array comes from, and goes back to, its {@link FrameBuffers}. */
    private static final class RecycledHeapBuf extends UnpooledHeapByteBuf {
        RecycledHeapBuf(ByteBufAllocator alloc, int initialCapacity, int maxCapacity) {
            super(alloc, initialCapacity, maxCapacity);
        }

        @Override
        protected byte[] allocateArray(int initialCapacity) {
            // alloc() is set before the superclass constructor asks for the array
            byte[] a = ((FrameBuffers) alloc()).take(initialCapacity);
            return a != null ? a : new byte[initialCapacity];
        }

        @Override
        protected void freeArray(byte[] array) {
            ((FrameBuffers) alloc()).give(array);
        }
    }
}
