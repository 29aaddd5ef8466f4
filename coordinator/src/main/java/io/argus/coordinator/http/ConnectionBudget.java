package io.argus.coordinator.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.Channel;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Caps the gateway's open connections, in all and per remote address. A connection over either cap
 * is closed as it is accepted, before any handler reads from it: slow clients holding many sockets
 * (one byte every few seconds each) cannot take every file descriptor, and one address cannot take
 * the whole budget from the others.
 */
public final class ConnectionBudget {
    private final int max;
    private final int perAddress;
    private final AtomicInteger open = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, AtomicInteger> byAddress = new ConcurrentHashMap<>();
    private final Counter refused;

    public ConnectionBudget(int max, int perAddress, MeterRegistry metrics) {
        if (max < 1 || perAddress < 1) {
            throw new IllegalArgumentException("connection budget " + max + " / " + perAddress + " per address");
        }
        this.max = max;
        this.perAddress = perAddress;
        this.refused = metrics.counter("argus.gateway.connections_refused");
        metrics.gauge("argus.gateway.connections_open", this, ConnectionBudget::open);
    }

    /** Counts a newly accepted connection, or returns false (and counts nothing) if it is over budget. */
    boolean admit(Channel ch) {
        InetAddress addr = ch.remoteAddress() instanceof InetSocketAddress a ? a.getAddress() : null;
        if (open.incrementAndGet() > max) {
            open.decrementAndGet();
            refused.increment();
            return false;
        }
        if (addr != null) {
            AtomicInteger n = byAddress.compute(addr, (k, v) -> {
                AtomicInteger c = v == null ? new AtomicInteger() : v;
                c.incrementAndGet();
                return c;
            });
            if (n.get() > perAddress) {
                release(addr);
                open.decrementAndGet();
                refused.increment();
                return false;
            }
        }
        ch.closeFuture().addListener(f -> {
            open.decrementAndGet();
            if (addr != null) {
                release(addr);
            }
        });
        return true;
    }

    private void release(InetAddress addr) {
        // removes the entry at zero, so the map holds only addresses with open connections
        byAddress.computeIfPresent(addr, (k, v) -> v.decrementAndGet() <= 0 ? null : v);
    }

    /** Connections counted now. */
    public int open() {
        return open.get();
    }
}
