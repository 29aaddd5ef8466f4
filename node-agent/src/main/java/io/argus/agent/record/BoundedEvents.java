package io.argus.agent.record;

import io.argus.protocol.v1.Event;
import io.micrometer.core.instrument.Counter;

import java.util.Deque;

/**
 * The one rule for every queue of events an agent keeps for coordinators (live outboxes and
 * stores that are away): past its bound the oldest go, counted in {@code argus.agent.events.dropped},
 * because the agent must keep processing frames whoever is not listening.
 */
final class BoundedEvents {
    private BoundedEvents() {
    }

    /** Adds an event at the end, dropping the oldest when the queue is full. */
    static void append(Deque<Event> queue, Event e, int max, Counter dropped) {
        if (queue.size() >= max) {
            queue.pollFirst();
            dropped.increment();
        }
        queue.addLast(e);
    }

    /** Drops the oldest events until the queue is within its bound. */
    static void trim(Deque<Event> queue, int max, Counter dropped) {
        while (queue.size() > max) {
            queue.pollFirst();
            dropped.increment();
        }
    }
}
