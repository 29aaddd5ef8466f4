package io.argus.coordinator.http;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Per-client rate limiters for image requests, keyed on who the client is as far as the gateway
 * can tell: the bearer token it authenticated with, else its remote address. A header the client
 * chooses (the old {@code X-Client-Id}) would let it take a fresh allowance per request.
 *
 * <p>The registry is bounded and forgets idle clients: at most {@code maxClients} limiters are kept
 * (the least recently used is dropped first), and one unused for {@code idleMs} is dropped. A
 * client dropped early only gets a fresh allowance, which is what an idle client is owed anyway;
 * an attacker cycling addresses fast enough to evict active clients is limited by the connection
 * budget instead. Resilience4j's own registry never forgets a name, which is why it is not used.
 */
public final class RateLimits {
    private final RateLimiterConfig config;
    private final double perSecond;
    private final int maxClients;
    private final long idleNanos;
    private final LongSupplier nanoTime;
    private final LinkedHashMap<String, Entry> limiters = new LinkedHashMap<>(256, 0.75f, true); // access order

    private static final class Entry {
        final RateLimiter limiter;
        long lastUsed;

        Entry(RateLimiter limiter, long lastUsed) {
            this.limiter = limiter;
            this.lastUsed = lastUsed;
        }
    }

    public RateLimits(double perSecond, int maxClients, long idleMs) {
        this(perSecond, maxClients, idleMs, System::nanoTime);
    }

    RateLimits(double perSecond, int maxClients, long idleMs, LongSupplier nanoTime) {
        if (!(perSecond > 0) || maxClients < 1 || idleMs < 1) {
            throw new IllegalArgumentException("rate " + perSecond + ", clients " + maxClients + ", idle " + idleMs + " ms");
        }
        this.perSecond = perSecond;
        this.maxClients = maxClients;
        this.idleNanos = idleMs * 1_000_000L;
        this.nanoTime = nanoTime;
        // below 1 per second: one permit per 1/rate seconds, rather than rounding up to 1 per second
        this.config = perSecond >= 1
                ? RateLimiterConfig.custom().limitForPeriod((int) Math.round(perSecond))
                        .limitRefreshPeriod(Duration.ofSeconds(1)).timeoutDuration(Duration.ZERO).build()
                : RateLimiterConfig.custom().limitForPeriod(1)
                        .limitRefreshPeriod(Duration.ofNanos((long) (1e9 / perSecond))).timeoutDuration(Duration.ZERO).build();
    }

    /** Takes one permit for the client; false if it has used up its allowance. */
    public boolean tryAcquire(String client) {
        return limiter(client).acquirePermission();
    }

    public double perSecond() {
        return perSecond;
    }

    /** How many clients have a limiter now (bounded by maxClients). */
    public synchronized int size() {
        expire(nanoTime.getAsLong());
        return limiters.size();
    }

    private synchronized RateLimiter limiter(String client) {
        long now = nanoTime.getAsLong();
        expire(now);
        Entry e = limiters.get(client);
        if (e == null) {
            e = new Entry(RateLimiter.of("gateway", config), now);
            limiters.put(client, e);
            if (limiters.size() > maxClients) {
                Iterator<Map.Entry<String, Entry>> it = limiters.entrySet().iterator();
                it.next();
                it.remove(); // the least recently used
            }
        }
        e.lastUsed = now;
        return e.limiter;
    }

    /** Drops idle limiters; in access order, so the walk stops at the first recently used one. */
    private void expire(long now) {
        Iterator<Entry> it = limiters.values().iterator();
        while (it.hasNext()) {
            if (now - it.next().lastUsed < idleNanos) {
                return;
            }
            it.remove();
        }
    }
}
