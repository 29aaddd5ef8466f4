package io.argus.client;

import com.google.protobuf.ByteString;
import io.argus.protocol.v1.StateBundle;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Where a stream with state opens after a move, for each kind of checkpoint it may find. */
class OpenPlanTest {
    static final long RUN = 42;

    static byte[] checkpoint(long run, long last) {
        StateBundle.Builder b = StateBundle.newBuilder().setStreamId("door").setRun(run)
                .putTasks("people", ByteString.copyFromUtf8("state"));
        if (last >= 0) {
            b.setLastSequence(last).setHasLastSequence(true);
        }
        return b.build().toByteArray();
    }

    @Test
    void aCheckpointOfThisRunContinuesAfterItsLastFrameAndEverythingHeldAfterItIsReplayed() {
        OpenPlan p = OpenPlan.of(checkpoint(RUN, 99), RUN, 80);
        assertThat(p.importState()).isNotNull();
        assertThat(p.from()).isEqualTo(100);
        assertThat(p.gap()).isFalse();
    }

    @Test
    void framesBetweenTheCheckpointAndTheLowestHeldAreAnExplicitGap() {
        OpenPlan p = OpenPlan.of(checkpoint(RUN, 99), RUN, 150);
        assertThat(p.from()).isEqualTo(150);
        assertThat(p.gap()).isTrue();
        assertThat(p.importState()).as("the state is still the best start").isNotNull();
    }

    @Test
    void anotherRunsCheckpointOrAnUnreadableOneIsNotRestored() {
        OpenPlan other = OpenPlan.of(checkpoint(RUN - 1, 99), RUN, 80);
        assertThat(other.importState()).isNull();
        assertThat(other.from()).isEqualTo(80);
        assertThat(other.note()).contains("another run");
        OpenPlan junk = OpenPlan.of(new byte[] {(byte) 0xff, 1, 2}, RUN, 80);
        assertThat(junk.importState()).isNull();
        assertThat(junk.from()).isEqualTo(80);
        assertThat(OpenPlan.of(null, RUN, 7)).isEqualTo(new OpenPlan(null, 7, false, ""));
    }

    @Test
    void aCheckpointWithoutASequenceIsImportedAndTheStreamOpensAtTheLowestHeld() {
        OpenPlan p = OpenPlan.of(checkpoint(RUN, -1), RUN, 80);
        assertThat(p.importState()).isNotNull();
        assertThat(p.from()).isEqualTo(80);
    }
}
