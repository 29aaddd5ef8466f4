package io.argus.coordinator.streams;

import io.argus.cluster.ClusterView;
import io.argus.cluster.ManagedState;
import io.argus.cluster.StreamDefinition;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code argus_managed_streams{state=...}}: how many managed streams are in each
 * {@link ManagedState}, one gauge per state (a state with none reads 0, so an alert on
 * {@code state="failed"} has a series to watch before the first failure).
 */
public final class ManagedStateGauges {
    private ManagedStateGauges() {
    }

    public static void register(MeterRegistry registry, ClusterView view) {
        for (ManagedState state : ManagedState.values()) {
            Gauge.builder("argus.managed.streams", view, v -> count(v, state))
                    .tag("state", state.label())
                    .description("managed streams in this state, as their agents report them")
                    .register(registry);
        }
    }

    /** Counted at each scrape from the cached view: no ZooKeeper round trip. */
    static long count(ClusterView view, ManagedState state) {
        long n = 0;
        for (StreamDefinition s : view.streams().values()) {
            if (s.managed() && StreamService.stateOf(view, s).state() == state) {
                n++;
            }
        }
        return n;
    }
}
