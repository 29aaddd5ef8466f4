package io.argus.client;

import io.argus.cluster.AgentInfo;
import io.argus.cluster.AgentLoad;
import io.argus.cluster.AgentPayload;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Where a stream goes next, on a fake clock. */
class AgentSelectorTest {
    final AtomicLong now = new AtomicLong(1_000_000_000L);
    final CircuitBreakerRegistry breakers = CircuitBreakerRegistry.ofDefaults();
    final AgentSelector selector = new AgentSelector(now::get, breakers::circuitBreaker, SuspicionConfig.DEFAULT);

    static AgentInfo agent(String id) {
        return new AgentInfo(id, new AgentPayload("127.0.0.1", 1, -1, 1, List.of("people"), 1, 1, AgentLoad.IDLE, 0, 0,
                false, "test"));
    }

    @Test
    void aSuspectIsSkippedUntilItsSuspicionEnds() {
        List<AgentInfo> routed = List.of(agent("a"), agent("b"));
        selector.suspect("a", "connection closed");
        assertThat(selector.candidates(routed)).extracting(AgentInfo::id).containsExactly("b");
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(SuspicionConfig.DEFAULT_SUSPECT_MS) + 1);
        assertThat(selector.candidates(routed)).extracting(AgentInfo::id).containsExactly("a", "b");
    }

    @Test
    void theSuspicionLastsAsLongAsTheStreamsSetting() {
        AgentSelector brief = new AgentSelector(now::get, breakers::circuitBreaker,
                SuspicionConfig.builder().suspectMs(100).build());
        brief.suspect("a", "connection closed");
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(100) + 1);
        assertThat(brief.suspected("a")).isFalse();
        selector.suspect("a", "connection closed");
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(100) + 1);
        assertThat(selector.suspected("a")).isTrue();
    }

    @Test
    void anAgentThatWasOnlyBusyIsStillTheLastResort() {
        List<AgentInfo> routed = List.of(agent("a"), agent("b"));
        selector.suspect("a", "overloaded");
        selector.suspect("b", "connection closed");
        assertThat(selector.candidates(routed)).extracting(AgentInfo::id).containsExactly("a");
        // a worse failure is not softened by a later "busy"
        selector.suspect("b", "overloaded");
        assertThat(selector.candidates(routed)).extracting(AgentInfo::id).containsExactly("a");
    }

    @Test
    void anOpenBreakerExcludesTheAgent() {
        List<AgentInfo> routed = List.of(agent("a"), agent("b"));
        breakers.circuitBreaker("a").transitionToOpenState();
        assertThat(selector.candidates(routed)).extracting(AgentInfo::id).containsExactly("b");
        assertThat(selector.hasIdleAlternative(routed, "b")).isFalse();
        assertThat(selector.hasIdleAlternative(routed, "a")).isTrue();
        assertThat(breakers.circuitBreaker("a").getState()).isEqualTo(CircuitBreaker.State.OPEN);
    }
}
