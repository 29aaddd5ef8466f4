package io.argus.coordinator.http;

import io.argus.protocol.client.AgentConnection;
import io.argus.protocol.client.AgentErrorException;
import io.argus.protocol.v1.Code;
import io.argus.protocol.v1.FrameRequest;
import io.argus.protocol.v1.FrameResult;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Gateway requests waiting for credit on one agent connection.
 *
 * <p>Why: an agent grants each connection a small window of frames (credits). Without a queue,
 * every gateway request beyond that window fails at once with 503 although the agent frees a
 * credit a few milliseconds later; clients that retry at once then turn the gateway's CPU into a
 * 503 factory and useful throughput collapses (measured: 256 to 48 req/s at 16 clients on one
 * agent, BENCHMARKS.md). A short queue turns the excess into waiting instead.
 *
 * <p>Bounds: at most {@link #MAX_WAITING} requests wait per agent; the next one is refused at once
 * with {@code OVERLOADED} (503 if no other agent takes it). A waiter whose deadline passes is
 * failed with {@code TIMEOUT} when its turn comes, without being sent.
 */
final class CreditQueue {
    /** Requests that may wait per agent: a few windows' worth, so a burst is absorbed but not a flood. */
    static final int MAX_WAITING = 64;

    private record Waiter(FrameRequest request, long deadlineNanos, CompletableFuture<FrameResult> result) {
    }

    private final ConcurrentLinkedQueue<Waiter> waiting = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();

    /** Sends now if a credit is free and nobody is ahead, otherwise queues (bounded). */
    CompletableFuture<FrameResult> send(AgentConnection c, FrameRequest request, long deadlineNanos) {
        if (size.get() == 0 && c.credits() > 0) {
            return c.send(request);
        }
        if (size.incrementAndGet() > MAX_WAITING) {
            size.decrementAndGet();
            return CompletableFuture.failedFuture(new AgentErrorException(Code.OVERLOADED,
                    "gateway queue for agent " + c.agentId() + " is full (" + MAX_WAITING + " waiting)"));
        }
        CompletableFuture<FrameResult> out = new CompletableFuture<>();
        waiting.add(new Waiter(request, deadlineNanos, out));
        // a credit may have come back between the check and the add: nobody else would wake us
        drain(c);
        return out;
    }

    /** Called when the connection gets credit back (its event loop) and after every enqueue. */
    void drain(AgentConnection c) {
        while (c.credits() > 0 || !c.isActive()) {
            Waiter w = waiting.poll();
            if (w == null) {
                return;
            }
            size.decrementAndGet();
            if (System.nanoTime() - w.deadlineNanos > 0) {
                w.result.completeExceptionally(new AgentErrorException(Code.TIMEOUT,
                        "deadline passed while waiting for credit on " + c.agentId()));
                continue;
            }
            // on a closed connection send fails at once with ConnectionLost, which the caller retries elsewhere
            c.send(w.request).whenComplete((r, e) -> {
                if (e != null) {
                    w.result.completeExceptionally(e);
                } else {
                    w.result.complete(r);
                }
            });
        }
    }

    int waiting() {
        return size.get();
    }
}
