package io.argus.protocol.client;

import io.argus.protocol.util.SettingRange;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;

import java.time.Duration;

/**
 * The circuit breaker kept per agent by every caller of agents: the streaming client (one per
 * agent, shared by all its streams) and the coordinator's gateway (one per agent for image
 * requests). One configuration for both, so that an agent is judged alike by everyone. What counts
 * as a failure is the caller's decision (INTERNAL, TIMEOUT, UNAVAILABLE, a lost connection; never
 * the caller's own bad requests or load shedding). Immutable; build one with {@link #builder()};
 * every setting is range-checked, a value outside its range is an error.
 *
 * @param failureRatePercent  failures, in percent of the calls in the window, that open the breaker;
 *                            default {@link #DEFAULT_FAILURE_RATE_PERCENT}; 1 to 100
 * @param windowCalls         the last calls the failure rate is computed over; default {@link #DEFAULT_WINDOW_CALLS}; 1 to 10,000
 * @param minimumCalls        calls in the window before the rate counts; default {@link #DEFAULT_MINIMUM_CALLS}; 1 to windowCalls
 * @param openMs              how long an open breaker refuses calls; default {@link #DEFAULT_OPEN_MS}; 10 ms to 10 min
 * @param halfOpenCalls       trial calls let through after that, which close or reopen it; default
 *                            {@link #DEFAULT_HALF_OPEN_CALLS}; 1 to 1,000
 */
public record AgentBreakerConfig(int failureRatePercent, int windowCalls, int minimumCalls, long openMs,
                                 int halfOpenCalls) {
    /** 50%: a healthy agent fails a frame now and then (a lost connection); one failing every other call is sick. */
    public static final int DEFAULT_FAILURE_RATE_PERCENT = 50;
    /** 20 calls: under a second of one live stream at 25 frames/s, so a breaker reacts within seconds of traffic. */
    public static final int DEFAULT_WINDOW_CALLS = 20;
    /** 5 calls: two failures of the first three calls of a fresh agent must not cut it off. */
    public static final int DEFAULT_MINIMUM_CALLS = 5;
    /**
     * 5000 ms: as long as a client avoids a suspect agent (the client's {@code SuspicionConfig.DEFAULT_SUSPECT_MS}),
     * and short against a session timeout, so a restarted agent is tried again soon.
     */
    public static final long DEFAULT_OPEN_MS = 5_000;
    /** 3 trial calls: enough to tell a recovered agent from one that answered once by chance. */
    public static final int DEFAULT_HALF_OPEN_CALLS = 3;

    public static final AgentBreakerConfig DEFAULT = builder().build();

    public AgentBreakerConfig {
        SettingRange.check("failureRatePercent", failureRatePercent, 1, 100);
        SettingRange.check("windowCalls", windowCalls, 1, 10_000);
        SettingRange.check("minimumCalls", minimumCalls, 1, windowCalls);
        SettingRange.check("openMs", openMs, 10, 600_000);
        SettingRange.check("halfOpenCalls", halfOpenCalls, 1, 1_000);
    }

    /**
     * As Resilience4j's configuration: a count-based window, and an open breaker turns half-open by
     * itself when {@link #openMs()} has passed. Callers that skip agents whose breaker is OPEN
     * (the gateway's candidate list) would otherwise never make the call that turns it half-open,
     * and an agent that failed once would stay cut off until restarted.
     */
    public CircuitBreakerConfig toResilience4j() {
        return CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .failureRateThreshold(failureRatePercent)
                .slidingWindowSize(windowCalls)
                .minimumNumberOfCalls(minimumCalls)
                .waitDurationInOpenState(Duration.ofMillis(openMs))
                .automaticTransitionFromOpenToHalfOpenEnabled(true)
                .permittedNumberOfCallsInHalfOpenState(halfOpenCalls)
                .build();
    }

    /** A registry whose breakers all use this configuration. */
    public CircuitBreakerRegistry registry() {
        return CircuitBreakerRegistry.of(toResilience4j());
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private int failureRatePercent = DEFAULT_FAILURE_RATE_PERCENT;
        private int windowCalls = DEFAULT_WINDOW_CALLS;
        private int minimumCalls = DEFAULT_MINIMUM_CALLS;
        private long openMs = DEFAULT_OPEN_MS;
        private int halfOpenCalls = DEFAULT_HALF_OPEN_CALLS;

        public Builder failureRatePercent(int v) {
            this.failureRatePercent = v;
            return this;
        }

        public Builder windowCalls(int v) {
            this.windowCalls = v;
            return this;
        }

        public Builder minimumCalls(int v) {
            this.minimumCalls = v;
            return this;
        }

        public Builder openMs(long v) {
            this.openMs = v;
            return this;
        }

        public Builder halfOpenCalls(int v) {
            this.halfOpenCalls = v;
            return this;
        }

        public AgentBreakerConfig build() {
            return new AgentBreakerConfig(failureRatePercent, windowCalls, minimumCalls, openMs, halfOpenCalls);
        }
    }
}
