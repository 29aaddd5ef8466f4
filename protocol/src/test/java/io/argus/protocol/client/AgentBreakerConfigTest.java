package io.argus.protocol.client;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The one breaker configuration of the client and the gateway: its defaults, its ranges, and how a breaker built from it behaves. */
class AgentBreakerConfigTest {
    @Test
    void defaultsAreTheDocumentedOnesInResilience4jTerms() {
        CircuitBreakerConfig c = AgentBreakerConfig.DEFAULT.toResilience4j();
        assertThat(c.getFailureRateThreshold()).isEqualTo(50f);
        assertThat(c.getSlidingWindowSize()).isEqualTo(20);
        assertThat(c.getMinimumNumberOfCalls()).isEqualTo(5);
        assertThat(c.getPermittedNumberOfCallsInHalfOpenState()).isEqualTo(3);
        assertThat(c.isAutomaticTransitionFromOpenToHalfOpenEnabled()).isTrue();
        assertThat(c.getWaitIntervalFunctionInOpenState().apply(1)).isEqualTo(5_000L);
    }

    @Test
    void outOfRangeIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> AgentBreakerConfig.builder().failureRatePercent(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("failureRatePercent");
        assertThatThrownBy(() -> AgentBreakerConfig.builder().windowCalls(10).minimumCalls(11).build())
                .hasMessageContaining("minimumCalls").hasMessageContaining("out of range");
        assertThatThrownBy(() -> AgentBreakerConfig.builder().openMs(0).build()).hasMessageContaining("openMs");
        assertThatThrownBy(() -> AgentBreakerConfig.builder().halfOpenCalls(0).build()).hasMessageContaining("halfOpenCalls");
    }

    /**
     * The gateway lists only agents whose breaker is not OPEN, so it never calls an open one: the
     * breaker must turn half-open by itself, or an agent that failed once stays cut off.
     */
    @Test
    void anOpenBreakerTurnsHalfOpenWithoutACallAndTrialCallsCloseIt() {
        CircuitBreaker b = AgentBreakerConfig.builder().openMs(100).build().registry().circuitBreaker("agent-1");
        for (int i = 0; i < AgentBreakerConfig.DEFAULT_MINIMUM_CALLS; i++) {
            b.onError(1, TimeUnit.MILLISECONDS, new RuntimeException("agent failed"));
        }
        assertThat(b.getState()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(b.tryAcquirePermission()).isFalse();
        await().atMost(Duration.ofSeconds(5)).until(() -> b.getState() == CircuitBreaker.State.HALF_OPEN);
        for (int i = 0; i < AgentBreakerConfig.DEFAULT_HALF_OPEN_CALLS; i++) {
            assertThat(b.tryAcquirePermission()).isTrue();
            b.onSuccess(1, TimeUnit.MILLISECONDS);
        }
        assertThat(b.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
    }
}
