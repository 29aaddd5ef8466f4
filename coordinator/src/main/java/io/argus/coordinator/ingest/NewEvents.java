package io.argus.coordinator.ingest;

import io.argus.protocol.v1.Event;

import java.util.List;

/**
 * Told of the events this coordinator's store took for the first time, on the event writer thread
 * once they are stored (never of duplicates: agents send every event to every coordinator, and
 * resend what was not acknowledged). Both methods must return at once: ingest waits for them.
 */
public interface NewEvents {
    /** Told nothing: no listener. */
    NewEvents NONE = new NewEvents() {
        @Override
        public boolean wanted() {
            return false;
        }

        @Override
        public void stored(List<Event> events) {
        }
    };

    /**
     * Whether to find out which events are new now; while false the store records batches
     * without that extra work and {@link #stored} is not called.
     */
    boolean wanted();

    void stored(List<Event> events);
}
