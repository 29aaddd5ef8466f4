package io.argus.coordinator.assign;

import io.argus.coordinator.liveness.CrashProbeConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The placement, load-shedding and crash-probe settings keep their documented defaults and refuse values out of range. */
class PlacementConfigTest {
    @Test
    void defaultsAreTheDocumentedValues() {
        LoadBalancerConfig lb = LoadBalancerConfig.DEFAULT;
        assertThat(lb.high()).isEqualTo(0.9);
        assertThat(lb.low()).isEqualTo(0.6);
        assertThat(lb.sustain()).isEqualTo(3);
        assertThat(lb.shedFactor()).isEqualTo(0.5);
        assertThat(lb.checkIntervalMs()).isEqualTo(2_000);
        AssignmentConfig a = AssignmentConfig.DEFAULT;
        assertThat(a.loadBound()).isEqualTo(1.5);
        assertThat(a.reconcileMs()).isEqualTo(30_000);
        assertThat(a.transactionOps()).isEqualTo(500);
        assertThat(a.rebalanceHysteresisMs()).isEqualTo(60_000);
        assertThat(a.loadBalancer()).isEqualTo(LoadBalancerConfig.DEFAULT);
        assertThat(CrashProbeConfig.DEFAULT.probeTimeoutMs()).isEqualTo(1_000);
        assertThat(CrashProbeConfig.DEFAULT.maxQueued()).isEqualTo(64);
    }

    @Test
    void outOfRangeIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> LoadBalancerConfig.builder().low(0.9).high(0.6).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("low");
        assertThatThrownBy(() -> LoadBalancerConfig.builder().high(1.5).build())
                .hasMessageContaining("high").hasMessageContaining("out of range");
        assertThatThrownBy(() -> LoadBalancerConfig.builder().sustain(0).build()).hasMessageContaining("sustain");
        assertThatThrownBy(() -> LoadBalancerConfig.builder().shedFactor(1).build()).hasMessageContaining("shedFactor");
        assertThatThrownBy(() -> LoadBalancerConfig.builder().maxUnshedDelayMs(-1).build())
                .hasMessageContaining("maxUnshedDelayMs");
        // the default cap stays valid beside any valid sustain and interval (a slow test configuration
        // of 100 checks a minute apart was refused when the cap had to exceed them)
        LoadBalancerConfig slow = LoadBalancerConfig.builder().sustain(100).checkIntervalMs(60_000).build();
        assertThat(new LoadBalancer(slow).unshedChecks("any")).isEqualTo(100);
        assertThatThrownBy(() -> AssignmentConfig.builder().loadBound(0.9).build()).hasMessageContaining("loadBound");
        assertThatThrownBy(() -> AssignmentConfig.builder().rebalanceMinImbalance(1).build())
                .hasMessageContaining("rebalanceMinImbalance");
        assertThatThrownBy(() -> AssignmentConfig.builder().transactionOps(0).build()).hasMessageContaining("transactionOps");
        assertThatThrownBy(() -> AssignmentConfig.builder().reconcileMs(10).build()).hasMessageContaining("reconcileMs");
        assertThatThrownBy(() -> CrashProbeConfig.builder().probeTimeoutMs(0).build()).hasMessageContaining("probeTimeoutMs");
        assertThatThrownBy(() -> CrashProbeConfig.builder().maxQueued(0).build()).hasMessageContaining("maxQueued");
        assertThatThrownBy(() -> new StreamAssigner(Double.NaN)).hasMessageContaining("loadBound");
    }

    @Test
    void aShedFactorOtherThanAHalfIsWhatTheBalancerApplies() {
        LoadBalancer lb = new LoadBalancer(LoadBalancerConfig.builder().shedFactor(0.25).sustain(1).build());
        var hot = StreamAssignerTest.agent("hot", 2, StreamAssignerTest.ALL, 0.95);
        var idle = StreamAssignerTest.agent("idle", 2, StreamAssignerTest.ALL, 0.2);
        assertThat(lb.check(List.of(hot, idle))).containsEntry("hot", 0.25);
    }
}
